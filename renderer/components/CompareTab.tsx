// Compare: the family's variants against its root (the baseline) on latency, size, memory and accuracy,
// the trade-off charts with their Pareto fronts, the pick rule's winner, and the report export. What to
// show is computed by compareView (renderer/compare/compare-view.ts); this component renders it.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { JobId, ModelEntry } from '../../preload/api'
import { appChartTheme, EChart, renderChartSvg, type ChartOption } from '../charts/EChart'
import { reportTheme } from '../compare/chart-options'
import { compareView } from '../compare/compare-view'
import { descendantsOf, rootOf } from '../compare/family'
import { describeRule, verdictWords } from '../../preload/pick-rule'
import { reportCsv, reportHtml, reportMarkdown, type ReportInput } from '../compare/report'
import { useAppStore } from '../store/store-context'
import { CompareTable } from './CompareTable'
import { DataPicker, useDataPath, useDataReady } from './DataPicker'
import { downloadText, fileStem } from './download'
import { JobStatus } from './JobStatus'
import { ModelChecklist } from './ModelChecklist'
import { PickRuleEditor } from './PickRuleEditor'
import { useFamilyIds } from './use-family'

export function CompareTab({ model }: { model: ModelEntry }): React.JSX.Element {
  const models = useAppStore(useShallow((state) => state.models))
  const root = rootOf(models, model.id) ?? model
  const descendants = useMemo(() => descendantsOf(models, root.id), [models, root.id])
  const familyIds = useFamilyIds(root.id)
  const choice = useAppStore((state) => state.compareChoice[root.id])
  const setChoice = useAppStore((state) => state.setCompareChoice)
  const variants = useMemo(() => (choice ? descendants.filter((m) => choice.includes(m.id)) : descendants), [choice, descendants])
  const chosenIds = variants.map((m) => m.id)
  const loadResults = useAppStore((state) => state.loadResults)
  useEffect(() => {
    void loadResults(familyIds)
  }, [familyIds, loadResults])

  const dataPath = useDataPath(root.id, 'evaluation')
  const labelsPath = useDataPath(root.id, 'labels')
  const [jobId, setJobId] = useState<JobId | null>(null)
  const [timingS, setTimingS] = useState(10)
  const dataReady = useDataReady(root.id, dataPath)
  const startJob = useAppStore((state) => state.startJob)

  const storedResults = useAppStore((state) => state.results)
  const rule = useAppStore((state) => state.pickRule)
  const view = useMemo(() => compareView({ root, variants, results: storedResults, rule }), [root, variants, storedResults, rule])
  const { rows, config, results, comparison, pick, winner, charts, int8Note } = view
  const appTheme = useMemo(() => appChartTheme(), [])
  const options = useMemo(() => charts.map((c) => c.option(appTheme)), [charts, appTheme])

  const exportAs = useCallback(
    (format: 'html' | 'md' | 'csv'): void => {
      const input: ReportInput = {
        title: `${root.name}: variants compared`,
        createdAt: new Date().toISOString(),
        rows,
        rule: describeRule(rule),
        pick,
        notes: view.notes,
        charts: results.length > 0 ? charts.map((c) => ({ title: c.title, svg: renderChartSvg(c.option(reportTheme), 640, 360) })) : [],
      }
      const stem = fileStem(`${root.name}-comparison`)
      if (format === 'html') downloadText(`${stem}.html`, reportHtml(input), 'text/html')
      else if (format === 'md') downloadText(`${stem}.md`, reportMarkdown(input), 'text/markdown')
      else downloadText(`${stem}.csv`, reportCsv(input.rows), 'text/csv')
    },
    [root.name, rows, rule, pick, view.notes, results.length, charts],
  )

  // The Export command (menu or Ctrl+E) exports the report of the comparison in view.
  const setExporter = useAppStore((state) => state.setExporter)
  useEffect(() => {
    setExporter(() => exportAs('html'))
    return () => setExporter(null)
  }, [setExporter, exportAs])

  if (descendants.length === 0)
    return (
      <div className="empty-inline" data-testid="compare-empty">
        <h3>Nothing to compare yet</h3>
        <p>Make a variant of {root.name} in Optimize; it is compared against {root.name} here.</p>
      </div>
    )

  return (
    <div className="tab-body">
      <div className="columns">
        <section className="panel form-panel">
          <h2>Variants against {root.name}</h2>
          <ModelChecklist models={[root, ...descendants]} chosen={chosenIds} fixedId={root.id} onChange={(ids) => setChoice(root.id, ids.filter((id) => id !== root.id))} testId="compare-models" />
        </section>
        <section className="panel form-panel">
          <h2>Accuracy and latency</h2>
          <DataPicker modelId={root.id} role="evaluation" label="Evaluation inputs" testId="compare-data" />
          <DataPicker modelId={root.id} role="labels" label="Labels (optional)" check={false} testId="compare-labels" />
          <label className="field" title="The models run in turn, one run each per round, until every p50 and ratio is within ±2% or this time is spent; 0 measures accuracy only">
            <span className="field-label">Latency timing, side by side (s)</span>
            <input className="input" type="number" min={0} value={timingS} onChange={(e) => setTimingS(Number(e.currentTarget.value))} data-testid="compare-timing" />
          </label>
          <button
            type="button"
            className="button primary"
            disabled={!dataReady || chosenIds.length === 0 || !(timingS >= 0)}
            data-testid="compare-run"
            onClick={() =>
              dataPath &&
              void startJob({
                kind: 'compare',
                baselineId: root.id,
                variantIds: chosenIds,
                options: { dataPath, ...(labelsPath ? { labelsPath } : {}), latencyBudgetS: timingS },
              }).then(setJobId)
            }
          >
            Measure
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
        <p className={`pick-result${winner ? ' has-winner' : ''}`} data-testid="pick-winner" data-model-name={winner?.name ?? ''} data-verdict={pick.verdict}>
          <strong data-testid="pick-verdict">{verdictWords[pick.verdict]}</strong>
          {winner && (
            <>
              : ★ <strong>{winner.name}</strong>
            </>
          )}
          <span className="pick-reason" data-testid="pick-reason">
            {pick.reason}
          </span>
        </p>
        {!config && !comparison?.latency && <p className="muted">No latency yet: run a benchmark of these models in the Benchmark tab, or measure them side by side here.</p>}
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
