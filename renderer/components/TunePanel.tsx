// "Find the best variant": the tuner's settings (data, the quality constraint, the objective, a time
// budget), and the search as it happens: candidates on the latency-vs-accuracy chart as they finish with
// the Pareto front redrawn, the candidates' numbers, the log of what was tried and why branches were
// dropped, and the recommended variant.
import { useEffect, useMemo, useState } from 'react'
import type { ModelEntry, TuneObjective, TuneOptions, TuneReport } from '../../preload/api'
import { formatDropPoints, formatLatencyRatio } from '../../preload/pick-rule'
import { appChartTheme, EChart } from '../charts/EChart'
import { latencyAccuracyOption } from '../compare/chart-options'
import { tuneRows } from '../../preload/tune-rows'
import { formatBytes } from '../format'
import { useAppStore } from '../store/store-context'
import { DataPicker, useDataPath, useDataReady } from './DataPicker'
import { JobStatus } from './JobStatus'

const objectives: Readonly<Record<TuneObjective, string>> = { latency: 'lowest latency', size: 'smallest', throughput: 'highest throughput' }

/** The search to show: the model's running or last tune job in this session, else the last one stored with it. */
function useTuneReport(model: ModelEntry): { report: TuneReport | undefined; jobId: string | null } {
  const job = useAppStore((state) =>
    [...state.jobOrder]
      .reverse()
      .map((id) => state.jobs[id])
      .find((j) => j?.kind === 'tune' && j.modelId === model.id),
  )
  const stored = useAppStore((state) =>
    (state.results[model.id] ?? [])
      .map((r) => r.value as TuneReport)
      .filter((v) => v.kind === 'tune')
      .at(-1),
  )
  const live = (job?.result ?? job?.progress.partial) as TuneReport | undefined
  return { report: live?.kind === 'tune' ? live : stored, jobId: job?.id ?? null }
}

function TuneResults({ report }: { report: TuneReport }): React.JSX.Element {
  const rows = useMemo(() => tuneRows(report), [report])
  const theme = useMemo(() => appChartTheme(), [])
  const option = useMemo(() => latencyAccuracyOption(rows, report.recommended, theme), [rows, report.recommended, theme])
  const recommended = rows.find((r) => r.id === report.recommended)
  return (
    <div className="tune-results">
      {report.state === 'done' && (
        <p className={`pick-result${recommended ? ' has-winner' : ''}`} data-testid="tune-recommended" data-model-name={recommended?.name ?? ''}>
          {recommended ? '★ ' : ''}
          {report.reason}.
          {report.settings && <span className="muted"> Session settings: {report.settings.note}.</span>}
        </p>
      )}
      <div className="columns">
        <section className="panel">
          <h2>Latency vs accuracy drop (Pareto front dashed)</h2>
          <EChart option={option} height={280} testId="tune-chart" />
        </section>
        <section className="panel">
          <h2>Candidates ({report.constraint})</h2>
          <table className="table" data-testid="tune-candidates">
            <thead>
              <tr>
                <th>candidate</th>
                <th>status</th>
                <th>quality drop</th>
                <th>p50 (95% CI)</th>
                <th>size</th>
              </tr>
            </thead>
            <tbody>
              {report.candidates.map((c) => (
                <tr key={c.key} data-testid="tune-candidate" data-status={c.status} data-meets={String(c.meets ?? '')} data-on-front={String(c.modelId !== undefined && report.front.includes(c.modelId))} title={c.reason}>
                  <td>
                    {c.modelId === report.recommended ? '★ ' : ''}
                    {c.label}
                  </td>
                  <td>{c.status === 'done' ? (c.meets === false ? 'misses' : 'meets') : c.status}</td>
                  <td>{c.accuracyDropPoints !== undefined ? formatDropPoints(c) : c.top1Agreement !== undefined ? `${(100 - c.top1Agreement * 100).toFixed(1)}% disagree` : '—'}</td>
                  <td>
                    {c.p50Ms === undefined
                      ? '—'
                      : `${c.p50Ms.toFixed(3)} ± ${(c.p50HalfWidthMs ?? 0).toFixed(3)} ms${report.baseline.p50Ms ? ` (${formatLatencyRatio(c, report.baseline)})` : ''}`}
                  </td>
                  <td>{c.sizeBytes === undefined ? '—' : formatBytes(c.sizeBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section className="panel">
        <h2>Search log</h2>
        <ol className="tune-log" data-testid="tune-log">
          {report.log.map((line, i) => (
            <li key={i} data-kind={line.kind} className={`tune-log-${line.kind}`}>
              {line.kind === 'dropped' ? 'Dropped: ' : ''}
              {line.text}
            </li>
          ))}
        </ol>
      </section>
    </div>
  )
}

export function TunePanel({ model }: { model: ModelEntry }): React.JSX.Element {
  const startJob = useAppStore((state) => state.startJob)
  const loadResults = useAppStore((state) => state.loadResults)
  const dataPath = useDataPath(model.id, 'evaluation')
  const labelsPath = useDataPath(model.id, 'labels')
  const calibPath = useDataPath(model.id, 'calibration')
  const [maxDrop, setMaxDrop] = useState('1')
  const [objective, setObjective] = useState<TuneObjective>('latency')
  const [budget, setBudget] = useState('300')
  const dataReady = useDataReady(model.id, dataPath)
  const { report, jobId } = useTuneReport(model)
  useEffect(() => {
    void loadResults([model.id])
  }, [model.id, loadResults])

  const limit = Number(maxDrop)
  const seconds = Number(budget)
  const valid = dataReady && maxDrop !== '' && limit >= 0 && limit <= 100 && seconds > 0
  const run = (): void => {
    if (!dataPath) return
    // Without labels the limit is on top-1 disagreement with the model, in points.
    const options: TuneOptions = {
      dataPath,
      ...(labelsPath ? { labelsPath, maxAccuracyDrop: limit } : { minFidelity: { top1Agreement: 1 - limit / 100 } }),
      ...(calibPath ? { calibPath } : {}),
      objective,
      timeBudgetS: seconds,
    }
    void startJob({ kind: 'tune', modelId: model.id, options })
  }

  return (
    <section className="panel tune-panel" data-testid="tune-panel">
      <h2>Find the best variant</h2>
      <p className="recipe-blurb">
        Tries the recipes that apply to {model.name} (int8 with each calibration method, int4, float16, pruning with re-quantization, graph
        optimization) and then thread counts, measures each on your data, drops the branches that cannot meet your limit, and recommends the best
        one. Every candidate is kept as a variant.
      </p>
      <div className="columns">
        <div>
          <DataPicker modelId={model.id} role="evaluation" label="Evaluation inputs" testId="tune-data" />
          <DataPicker modelId={model.id} role="labels" label="Labels (optional)" check={false} testId="tune-labels" />
          <DataPicker modelId={model.id} role="calibration" label="Calibration inputs (optional)" testId="tune-calib" />
        </div>
        <div className="tune-settings">
          <label className="field-label" htmlFor="tune-max-drop">
            {labelsPath ? 'Largest accuracy drop (points)' : 'Largest disagreement with the model (%)'}
          </label>
          <input id="tune-max-drop" className="input narrow" type="number" min={0} max={100} step={0.1} value={maxDrop} data-testid="tune-max-drop" onChange={(e) => setMaxDrop(e.currentTarget.value)} />
          <label className="field-label" htmlFor="tune-objective">
            Then pick the
          </label>
          <select id="tune-objective" className="input" value={objective} data-testid="tune-objective" onChange={(e) => setObjective(e.currentTarget.value as TuneObjective)}>
            {(Object.keys(objectives) as TuneObjective[]).map((key) => (
              <option key={key} value={key}>
                {objectives[key]}
              </option>
            ))}
          </select>
          <label className="field-label" htmlFor="tune-budget">
            Time budget (seconds)
          </label>
          <input id="tune-budget" className="input narrow" type="number" min={1} step={10} value={budget} data-testid="tune-budget" onChange={(e) => setBudget(e.currentTarget.value)} />
          <button type="button" className="button primary" disabled={!valid} data-testid="tune-run" title={dataPath ? undefined : 'Choose evaluation inputs first'} onClick={run}>
            Find the best variant
          </button>
          <JobStatus jobId={jobId} testId="tune-job" />
        </div>
      </div>
      {report && <TuneResults report={report} />}
    </section>
  )
}
