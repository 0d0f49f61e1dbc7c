// Benchmark: choose models of the family, batch sizes and threads; each configuration's result appears as
// soon as the worker finishes it (the job's partial progress), then stays with the models. Below, the
// selected model's per-operator profile.
import { useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { BenchmarkResult, JobId, ModelEntry, ReportFormat, StopReason } from '../../preload/api'
import { appChartTheme, EChart } from '../charts/EChart'
import { shortName, throughputOption } from '../compare/chart-options'
import { descendantsOf, rootOf } from '../compare/family'
import { latestResults } from '../compare/metrics'
import { formatSpread } from '../../preload/pick-rule'
import { formatBytes } from '../format'
import { defaultBatchText } from '../inputs/input-guesses'
import { latestBenchmarkRun, storedBenchmarks } from '../compare/stored-results'
import { useAppStore } from '../store/store-context'
import { downloadText } from './download'
import { InputsPanel } from './InputsPanel'
import { JobStatus } from './JobStatus'
import { ModelChecklist } from './ModelChecklist'
import { ProfilePanel } from './ProfilePanel'
import { useFamilyIds } from './use-family'

const stopWords: Readonly<Record<StopReason, (runs: number) => string>> = {
  stable: (runs) => `stable after ${runs} runs`,
  budget: (runs) => `time budget spent (${runs} runs)`,
  runs: (runs) => `${runs} runs`,
}

/** "1, 8, 32" → [1, 8, 32]; null when any item is not a positive whole number. */
export function parseCounts(text: string): number[] | null {
  const items = text.split(/[\s,]+/).filter(Boolean).map(Number)
  return items.length > 0 && items.every((n) => Number.isInteger(n) && n > 0) ? [...new Set(items)] : null
}

export function BenchmarkTab({ model }: { model: ModelEntry }): React.JSX.Element {
  const models = useAppStore(useShallow((state) => state.models))
  const root = rootOf(models, model.id) ?? model
  const family = useMemo(() => [root, ...descendantsOf(models, root.id)], [models, root])
  const familyIds = useFamilyIds(root.id)
  const [chosen, setChosen] = useState<string[]>(() => family.map((m) => m.id))
  const [batches, setBatches] = useState(() => defaultBatchText(family))
  const [threads, setThreads] = useState('1')
  // No run count: each configuration is timed until its median is stable (±2%), within the budget.
  const [iterations, setIterations] = useState('')
  const [budgetS, setBudgetS] = useState(10)
  const runs = iterations.trim() === '' ? undefined : Number(iterations)
  const [jobId, setJobId] = useState<JobId | null>(null)
  const startJob = useAppStore((state) => state.startJob)
  const loadResults = useAppStore((state) => state.loadResults)
  const live = useAppStore((state) => {
    const partial = jobId ? state.jobs[jobId]?.progress.partial : undefined
    return Array.isArray(partial) ? (partial as readonly BenchmarkResult[]) : undefined
  })
  const stored = useAppStore(useShallow((state) => storedBenchmarks(state.results, familyIds)))
  const allResults = useAppStore((state) => state.results)
  const latestRun = useMemo(() => latestBenchmarkRun(allResults, familyIds), [allResults, familyIds])
  const exportResult = useAppStore((state) => state.exportResult)

  useEffect(() => {
    void loadResults(familyIds)
  }, [familyIds, loadResults])

  const batchList = parseCounts(batches)
  const threadList = parseCounts(threads)
  const savingInputs = useAppStore((state) => state.savingInputSpecs > 0)
  const timingOk = runs === undefined ? budgetS > 0 : Number.isInteger(runs) && runs > 0
  const ready = chosen.length > 0 && batchList !== null && threadList !== null && timingOk && !savingInputs
  const results = useMemo(() => latestResults([...stored, ...(live ?? [])]), [stored, live])
  const names = useMemo(() => new Map(family.map((m) => [m.id, m.name])), [family])
  const option = useMemo(
    () => throughputOption(results, new Map(family.map((m) => [m.id, shortName(m.name, root.name)])), appChartTheme()),
    [results, family, root.name],
  )

  const exportRun = async (format: ReportFormat): Promise<void> => {
    if (!latestRun) return
    const text = await exportResult(latestRun.modelIds, latestRun.name, format)
    const types: Record<ReportFormat, string> = { csv: 'text/csv', md: 'text/markdown', json: 'application/json' }
    if (text !== undefined) downloadText(`${latestRun.name}.${format}`, text, types[format])
  }

  return (
    <div className="tab-body">
      <InputsPanel model={model} family={family} />
      <section className="panel form-panel">
        <h2>Models</h2>
        <ModelChecklist models={family} chosen={chosen} onChange={setChosen} testId="bench-models" />
        <div className="form-row">
          <label className="field">
            <span className="field-label">Batch sizes</span>
            <input className="input" value={batches} onChange={(e) => setBatches(e.currentTarget.value)} data-testid="bench-batches" aria-invalid={batchList === null} />
          </label>
          <label className="field">
            <span className="field-label">Threads</span>
            <input className="input" value={threads} onChange={(e) => setThreads(e.currentTarget.value)} data-testid="bench-threads" aria-invalid={threadList === null} />
          </label>
          <label className="field">
            <span className="field-label">Timed runs per configuration</span>
            <input
              className="input"
              type="number"
              min={1}
              placeholder="until stable"
              value={iterations}
              onChange={(e) => setIterations(e.currentTarget.value)}
              data-testid="bench-iterations"
              aria-invalid={!timingOk}
              title="Empty: measure until the median's 95% interval is within ±2%, or the time budget is spent"
            />
          </label>
          <label className="field">
            <span className="field-label">Time budget per configuration (s)</span>
            <input className="input" type="number" min={1} value={budgetS} disabled={runs !== undefined} onChange={(e) => setBudgetS(Number(e.currentTarget.value))} data-testid="bench-budget" />
          </label>
          <button
            type="button"
            className="button primary"
            disabled={!ready}
            data-testid="bench-run"
            onClick={() =>
              void startJob({
                kind: 'benchmark',
                modelIds: chosen,
                options: { batches: batchList ?? [1], threads: threadList ?? [1], ...(runs === undefined ? { durationS: budgetS } : { iterations: runs }), warmup: 10 },
              }).then(setJobId)
            }
          >
            Run benchmark
          </button>
        </div>
        <JobStatus jobId={jobId} testId="bench-job" />
      </section>
      {/* Mounted before any result, so the first one to arrive costs a row and a redraw, not a chart set-up. */}
      <section className="panel">
        <div className="panel-head">
          <h2>Results</h2>
          {latestRun && (
            <div className="export-buttons" title="The latest benchmark run, every statistic it measured">
              <span className="muted">Export latest run</span>
              <button type="button" className="button small" data-testid="bench-export-csv" onClick={() => void exportRun('csv')}>
                CSV
              </button>
              <button type="button" className="button small" data-testid="bench-export-md" onClick={() => void exportRun('md')}>
                Markdown
              </button>
              <button type="button" className="button small" data-testid="bench-export-json" onClick={() => void exportRun('json')}>
                JSON
              </button>
            </div>
          )}
        </div>
        {results.length === 0 && <p className="muted">Each configuration appears here as soon as it is measured.</p>}
        {results.length > 0 && (
          <table className="table" data-testid="bench-results">
              <thead>
                <tr>
                  <th>model</th>
                  <th className="num">batch</th>
                  <th className="num">threads</th>
                  <th className="num">p50 ms</th>
                  <th className="num">p99 ms</th>
                  <th className="num">samples/s</th>
                  <th className="num">peak memory</th>
                  <th>note</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r) => (
                  <tr key={`${r.modelId}-${r.batch}-${r.threads}`} data-testid="bench-row" data-model-id={r.modelId}>
                    <td>{names.get(r.modelId ?? '') ?? r.model}</td>
                    <td className="num">{r.batch}</td>
                    <td className="num">{r.threads}</td>
                    <td className="num" data-testid="bench-p50" data-value={r.latencyMs.p50.toFixed(3)}>
                      {r.latencyMs.p50.toFixed(3)}
                      {r.intervals?.p50Ms && <span className="muted small"> {formatSpread(r.intervals.p50Ms)}</span>}
                    </td>
                    <td className="num">{r.latencyMs.p99.toFixed(3)}</td>
                    <td className="num">{r.throughput.samplesPerSec.toFixed(0)}</td>
                    <td className="num">{formatBytes(r.peakRssBytes)}</td>
                    <td>
                      {r.stop && (
                        <span className="muted small" data-testid="bench-stop" data-stop={r.stop} title="Why measuring stopped">
                          {stopWords[r.stop](r.iterations)}{' '}
                        </span>
                      )}
                      {r.noiseWarning && (
                        <span className="badge badge-warn" title={r.noiseWarning}>
                          noisy (cv {(r.cv * 100).toFixed(0)}%)
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
          </table>
        )}
        <h2>Throughput per batch size</h2>
        <EChart option={option} height={260} testId="bench-throughput-chart" />
      </section>
      <ProfilePanel model={model} />
    </div>
  )
}
