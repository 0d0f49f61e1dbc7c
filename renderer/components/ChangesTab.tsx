// What a variant changed against its parent: the structural diff grouped by op (coloured by the worst
// per-layer error where the recipe measured it), the recipe's notes, and for a quantized variant the
// per-layer error list with "keep these layers in float and re-quantize" as one action.
import { useMemo, useState } from 'react'
import type { JobId, ModelEntry, TensorError } from '../../preload/api'
import { lineageNotes, recipeSummaryOf } from '../compare/lineage'
import { changeWords, sqnrBand, structuralDiff } from '../compare/structural-diff'
import { formatBytes, formatCount } from '../format'
import { requantizeRequest } from '../optimize/requantize'
import { useAppStore } from '../store/store-context'
import { JobStatus } from './JobStatus'

function LayerErrors({ model, errors }: { model: ModelEntry; errors: readonly TensorError[] }): React.JSX.Element {
  const startJob = useAppStore((state) => state.startJob)
  const summary = recipeSummaryOf(model.lineage)
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(summary?.suggestedExclusions ?? []))
  const [jobId, setJobId] = useState<JobId | null>(null)
  const worstFirst = useMemo(() => [...errors].sort((a, b) => a.sqnrDb - b.sqnrDb), [errors])
  const canRequantize = requantizeRequest(model, []) !== undefined
  const requantize = (): void => {
    const request = requantizeRequest(model, chosen)
    if (request) void startJob(request).then(setJobId)
  }
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>Per-layer error (SQNR vs float, worst first)</h2>
        <button type="button" className="button primary small" disabled={chosen.size === 0 || !canRequantize} onClick={requantize} data-testid="requantize">
          {chosen.size === 0 ? 'Tick layers to keep in float' : `Keep ${chosen.size} layer${chosen.size === 1 ? '' : 's'} in float and re-quantize`}
        </button>
      </div>
      <JobStatus jobId={jobId} testId="requantize-job" />
      <table className="table" data-testid="layer-errors">
        <thead>
          <tr>
            <th />
            <th>node</th>
            <th>op</th>
            <th className="num">SQNR (accumulated)</th>
            <th className="num">SQNR (this layer alone)</th>
          </tr>
        </thead>
        <tbody>
          {worstFirst.map((e) => (
            <tr key={e.tensor} className={`sqnr-${sqnrBand(e.sqnrDb)}`} data-testid="layer-error-row">
              <td>
                <input
                  type="checkbox"
                  aria-label={`keep ${e.node} in float`}
                  checked={chosen.has(e.node)}
                  onChange={(ev) => {
                    const next = new Set(chosen)
                    if (ev.currentTarget.checked) next.add(e.node)
                    else next.delete(e.node)
                    setChosen(next)
                  }}
                />
              </td>
              <td className="mono">{e.node}</td>
              <td>{e.op}</td>
              <td className="num">
                <span className={`sqnr-chip sqnr-${sqnrBand(e.sqnrDb)}`}>{e.sqnrDb.toFixed(1)} dB</span>
              </td>
              <td className="num">{e.qdqSqnrDb.toFixed(1)} dB</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-help">≥ 30 dB is faithful; below 20 dB a layer often costs accuracy. Accumulated error includes every layer before it.</p>
    </section>
  )
}

export function ChangesTab({ model }: { model: ModelEntry }): React.JSX.Element {
  const parent = useAppStore((state) => state.models.find((m) => m.id === model.lineage?.parentId))
  if (!model.lineage || !parent?.inspection || !model.inspection)
    return <p className="muted">The parent of this variant is no longer in the workspace.</p>
  const summary = recipeSummaryOf(model.lineage)
  const notes = lineageNotes(model.lineage)
  const diff = structuralDiff(parent.inspection, model.inspection, model.lineage)
  const changed = diff.filter((c) => c.kind !== 'unchanged')
  const p = parent.inspection
  const v = model.inspection
  return (
    <div className="tab-body">
      <section className="panel">
        <h2>
          {model.lineage.recipe} of {parent.name}
        </h2>
        <div className="diff-summary">
          <span>
            Size {formatBytes(p.sizeBytes)} → <strong>{formatBytes(v.sizeBytes)}</strong> ({((v.sizeBytes / p.sizeBytes) * 100).toFixed(0)}%)
          </span>
          <span>
            Parameters {formatCount(p.parameters.count)} → <strong>{formatCount(v.parameters.count)}</strong>
          </span>
          <span>
            Nodes {p.nodeCount} → <strong>{v.nodeCount}</strong>
          </span>
        </div>
        {notes.map((note) => (
          <p className="note" key={note}>
            {note}
          </p>
        ))}
      </section>
      <section className="panel">
        <h2>Structure by operator ({changed.length} changed)</h2>
        <table className="table" data-testid="structural-diff">
          <thead>
            <tr>
              <th>op</th>
              <th>change</th>
              <th className="num">parent</th>
              <th className="num">variant</th>
              <th className="num">worst SQNR</th>
              <th>layers</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((c) => (
              <tr key={c.op} className={`diff-${c.kind} sqnr-${sqnrBand(c.worstSqnrDb)}`} data-testid="diff-row" data-op={c.op} data-change={c.kind}>
                <td className="mono">{c.op}</td>
                <td>
                  <span className={`change-chip change-${c.kind}`}>
                    {changeWords[c.kind]}
                    {c.converted > 0 && c.converted !== c.parentCount ? ` (${c.converted} of ${c.parentCount})` : ''}
                  </span>
                </td>
                <td className="num">{c.parentCount}</td>
                <td className="num">{c.variantCount}</td>
                <td className="num">{c.worstSqnrDb === undefined ? '' : <span className={`sqnr-chip sqnr-${sqnrBand(c.worstSqnrDb)}`}>{c.worstSqnrDb.toFixed(1)} dB</span>}</td>
                <td className="mono small">{c.errors.map((e) => e.node).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {(summary?.leftAsIs?.length ?? 0) > 0 && (
          <>
            <h2>Left as they were</h2>
            <ul className="plain-list">
              {summary?.leftAsIs?.map((l) => (
                <li key={l.node}>
                  <span className="mono">{l.node}</span> ({l.op}): {l.reason}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {summary?.errorReport && summary.errorReport.length > 0 && <LayerErrors model={model} errors={summary.errorReport} />}
    </div>
  )
}
