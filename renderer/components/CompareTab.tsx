// Compare: the family's variants against its root (the baseline) on latency, size, memory and accuracy,
// the trade-off charts with their Pareto fronts, the pick rule's winner, and the report export.
import { useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { BenchmarkReport, JobId, ModelEntry } from '../../preload/api'
import { appChartTheme, EChart, renderChartSvg, type ChartOption } from '../charts/EChart'
import {
  latencyAccuracyOption,
  latencyDistributionOption,
  latencySizeOption,
  reportTheme,
  shortName,
  throughputOption,
  type ChartTheme,
} from '../compare/chart-options'
import { descendantsOf, rootOf } from '../compare/family'
import { compareMetrics, latestResults, referenceConfig } from '../compare/metrics'
import { applyPickRule, describeRule } from '../compare/pick-rule'
import { reportCsv, reportHtml, reportMarkdown, type ReportInput } from '../compare/report'
import { latestComparison, storedBenchmarks } from '../store/results-slice'
import { useAppStore } from '../store/store-context'
import { CompareTable } from './CompareTable'
import { DataPicker, useDataReady } from './DataPicker'
import { downloadText, fileStem } from './download'
import { JobStatus } from './JobStatus'
import { ModelChecklist } from './ModelChecklist'
import { PickRuleEditor } from './PickRuleEditor'

interface ChartSpec {
  readonly id: string
  readonly title: string
  option(theme: ChartTheme): ChartOption
}

export function CompareTab({ model }: { model: ModelEntry }): React.JSX.Element {
  const models = useAppStore(useShallow((state) => state.models))
  const root = rootOf(models, model.id) ?? model
  const descendants = useMemo(() => descendantsOf(models, root.id), [models, root.id])
  const choice = useAppStore((state) => state.compareChoice[root.id])
  const setChoice = useAppStore((state) => state.setCompareChoice)
  const chosenIds = (choice ?? descendants.map((m) => m.id)).filter((id) => descendants.some((m) => m.id === id))
  const variants = descendants.filter((m) => chosenIds.includes(m.id))
  const familyIds = [root.id, ...descendants.map((m) => m.id)].join(',')
  const loadResults = useAppStore((state) => state.loadResults)
  useEffect(() => {
    void loadResults(familyIds.split(','))
  }, [familyIds, loadResults])

  const [dataPath, setDataPath] = useState<string | null>(null)
  const [labelsPath, setLabelsPath] = useState<string | null>(null)
  const [jobId, setJobId] = useState<JobId | null>(null)
  const dataReady = useDataReady(root.id, dataPath)
  const startJob = useAppStore((state) => state.startJob)

  const benchmarks = useAppStore(useShallow((state) => storedBenchmarks(state.results, familyIds.split(','))))
  const storedResults = useAppStore((state) => state.results)
  const chosenKey = chosenIds.join(',')
  const comparison = useMemo(() => latestComparison(storedResults, root.id, chosenKey.split(',')), [storedResults, root.id, chosenKey])
  const rule = useAppStore((state) => state.pickRule)
  const shownIds = new Set([root.id, ...chosenIds])
  const results = useMemo(() => latestResults(benchmarks).filter((r) => r.modelId !== undefined && shownIds.has(r.modelId)), [benchmarks, [...shownIds].join(',')]) // eslint-disable-line react-hooks/exhaustive-deps
  const config = useMemo(() => referenceConfig(results), [results])
  const rows = useMemo(() => compareMetrics(root, variants, results, comparison, config), [root, variants.map((v) => v.id).join(','), results, comparison, config]) // eslint-disable-line react-hooks/exhaustive-deps
  const pick = applyPickRule(rows, rule)
  const names = useMemo(() => new Map(rows.map((r) => [r.id, shortName(r.name, root.name)])), [rows, root.name])

  const charts: ChartSpec[] = useMemo(() => {
    const atReference = results.filter((r) => config && r.batch === config.batch && r.threads === config.threads)
    return [
      { id: 'latency-size', title: 'Latency vs size (Pareto front dashed)', option: (theme) => latencySizeOption(rows, pick.winnerId, theme) },
      { id: 'latency-accuracy', title: 'Latency vs accuracy drop (Pareto front dashed)', option: (theme) => latencyAccuracyOption(rows, pick.winnerId, theme) },
      { id: 'latency-distribution', title: `Latency distribution (batch ${config?.batch ?? 1})`, option: (theme) => latencyDistributionOption(atReference, names, theme) },
      { id: 'throughput', title: 'Throughput per batch size', option: (theme) => throughputOption(results, names, theme) },
    ]
  }, [rows, pick.winnerId, results, config, names])
  const appTheme = useMemo(() => appChartTheme(), [])
  const options = useMemo(() => charts.map((c) => c.option(appTheme)), [charts, appTheme])

  // Quantized variants slower than float are common (missing int8 kernels): say why, from the CPU facts.
  const cpu = useMemo(() => {
    const reports = (storedResults[root.id] ?? []).filter((r) => (r.value as { kind?: string }).kind === 'benchmark')
    return (reports.at(-1)?.value as BenchmarkReport | undefined)?.cpu
  }, [storedResults, root.id])
  const baselineP50 = rows.find((r) => r.isBaseline)?.p50Ms
  const slowerQuantized = rows.filter((r) => /quant|int8|int4/i.test(r.recipe) && r.p50Ms !== undefined && baselineP50 !== undefined && r.p50Ms > baselineP50)
  const int8Note =
    slowerQuantized.length > 0 && cpu
      ? `${slowerQuantized.map((r) => shortName(r.name, root.name)).join(', ')} ${slowerQuantized.length === 1 ? 'is' : 'are'} slower than float on this CPU (${cpu.model}). ` +
        `Its int8 support: ${cpu.int8Note.replace(/\.$/, '')}. On small models the added Quantize/Dequantize steps can cost more than int8 arithmetic saves; benchmark at your batch size before choosing.`
      : null

  const report = (): ReportInput => ({
    title: `${root.name}: variants compared`,
    createdAt: new Date().toISOString(),
    rows,
    rule: describeRule(rule),
    pick,
    notes: [
      ...(config ? [`Latency, throughput and memory at batch ${config.batch}, ${config.threads} thread${config.threads === 1 ? '' : 's'} (ONNX Runtime, CPU).`] : ['No benchmark yet.']),
      ...(comparison
        ? [`Accuracy and fidelity on ${comparison.data.samples} samples of ${comparison.data.source.split(/[\\/]/).pop() ?? ''}${comparison.data.labels ? ' with labels' : ''}.`]
        : ['No accuracy comparison yet.']),
      ...(int8Note ? [int8Note] : []),
    ],
    charts: results.length > 0 ? charts.map((c) => ({ title: c.title, svg: renderChartSvg(c.option(reportTheme), 640, 360) })) : [],
  })
  const exportAs = (format: 'html' | 'md' | 'csv'): void => {
    const input = report()
    const stem = fileStem(`${root.name}-comparison`)
    if (format === 'html') downloadText(`${stem}.html`, reportHtml(input), 'text/html')
    else if (format === 'md') downloadText(`${stem}.md`, reportMarkdown(input), 'text/markdown')
    else downloadText(`${stem}.csv`, reportCsv(input.rows), 'text/csv')
  }

  // The Export command (menu or Ctrl+E) asks the page in view for its report.
  const exportRequests = useAppStore((state) => state.exportRequests)
  const seenRequests = useRef(exportRequests)
  useEffect(() => {
    if (exportRequests === seenRequests.current) return
    seenRequests.current = exportRequests
    exportAs('html')
  })

  if (descendants.length === 0)
    return (
      <div className="empty-inline" data-testid="compare-empty">
        <h3>Nothing to compare yet</h3>
        <p>Make a variant of {root.name} in Optimize; it is compared against {root.name} here.</p>
      </div>
    )

  const winner = rows.find((r) => r.id === pick.winnerId)
  return (
    <div className="tab-body">
      <div className="columns">
        <section className="panel form-panel">
          <h2>Variants against {root.name}</h2>
          <ModelChecklist models={[root, ...descendants]} chosen={chosenIds} fixedId={root.id} onChange={(ids) => setChoice(root.id, ids.filter((id) => id !== root.id))} testId="compare-models" />
        </section>
        <section className="panel form-panel">
          <h2>Accuracy</h2>
          <DataPicker modelId={root.id} label="Evaluation inputs" value={dataPath} onChange={setDataPath} testId="compare-data" prefer={/test_x|eval/i} />
          <DataPicker modelId={root.id} label="Labels (optional)" value={labelsPath} onChange={setLabelsPath} check={false} testId="compare-labels" prefer={/test_y|label/i} />
          <button
            type="button"
            className="button primary"
            disabled={!dataReady || chosenIds.length === 0}
            data-testid="compare-run"
            onClick={() =>
              dataPath &&
              void startJob({ kind: 'compare', baselineId: root.id, variantIds: chosenIds, options: { dataPath, ...(labelsPath ? { labelsPath } : {}) } }).then(setJobId)
            }
          >
            Measure accuracy
          </button>
          <JobStatus jobId={jobId} testId="compare-job" />
        </section>
      </div>

      <section className="panel">
        <div className="panel-head">
          <h2>Comparison</h2>
          <div className="export-buttons">
            <button type="button" className="button small" data-testid="export-html" onClick={() => exportAs('html')} title="Export the report as HTML (Ctrl+E)">
              Export HTML
            </button>
            <button type="button" className="button small" data-testid="export-md" onClick={() => exportAs('md')}>
              Markdown
            </button>
            <button type="button" className="button small" data-testid="export-csv" onClick={() => exportAs('csv')}>
              CSV
            </button>
          </div>
        </div>
        <PickRuleEditor />
        <p className={`pick-result${winner ? ' has-winner' : ''}`} data-testid="pick-winner" data-model-name={winner?.name ?? ''}>
          {winner ? (
            <>
              ★ <strong>{winner.name}</strong> is the {describeRule(rule)}.
            </>
          ) : (
            pick.reason
          )}
        </p>
        {!config && <p className="muted">No latency yet: run a benchmark of these models in the Benchmark tab.</p>}
        {int8Note && (
          <p className="warning warning-warning" data-testid="int8-note">
            {int8Note}
          </p>
        )}
        <CompareTable rows={rows} winnerId={pick.winnerId} />
      </section>

      {results.length > 0 && (
        <div className="chart-grid">
          {charts.map((chart, i) => (
            <section className="panel" key={chart.id}>
              <h2>{chart.title}</h2>
              <EChart option={options[i] as ChartOption} height={300} testId={`chart-${chart.id}`} />
            </section>
          ))}
        </div>
      )}
    </div>
  )
}
