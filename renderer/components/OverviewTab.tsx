// What a model is: the facts an ML engineer checks before deploying it.
import type { Inspection, ModelEntry } from '../../preload/api'
import { formatBytes, formatCount, formatMs } from '../format'
import { MacsExplain } from './MacsExplain'
import { OpHistogramChart } from './OpHistogramChart'
import { TensorTable } from './TensorTable'
import { WarningList } from './WarningList'

interface StatProps {
  readonly label: string
  readonly value: string
  readonly testId: string
  /** The exact number behind a rounded value, for tooltips and tests. */
  readonly exact?: number
}

function Stat({ label, value, testId, exact }: StatProps): React.JSX.Element {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId} data-value={exact} title={exact?.toLocaleString('en-US')}>
        {value}
      </div>
    </div>
  )
}

export function RuntimeBadge({ inspection }: { inspection: Inspection }): React.JSX.Element | null {
  const check = inspection.runtimeCheck
  if (!check) return null
  return (
    <span className={`badge ${check.loads ? 'badge-ok' : 'badge-error'}`} data-testid="runtime-check" data-loads={check.loads}>
      {check.loads
        ? `Loads in ${check.runtime}${check.sessionCreateMs === undefined ? '' : ` · session ${formatMs(check.sessionCreateMs)}`}`
        : `Does not load in ${check.runtime}`}
    </span>
  )
}

export function OverviewTab({ model }: { model: ModelEntry }): React.JSX.Element {
  const inspection = model.inspection
  return (
    <>
      {!inspection ? (
        <p>Not inspected yet.</p>
      ) : (
        <>
          <section className="stats" aria-label="Summary">
            <Stat label="Size on disk" value={formatBytes(inspection.sizeBytes)} testId="stat-size" exact={inspection.sizeBytes} />
            <Stat label="Parameters" value={formatCount(inspection.parameters.count)} testId="stat-parameters" exact={inspection.parameters.count} />
            <Stat
              label="MACs / sample"
              value={inspection.macs === null ? 'n/a' : formatCount(inspection.macs)}
              testId="stat-macs"
              {...(inspection.macs === null ? {} : { exact: inspection.macs })}
            />
            <Stat label="Nodes" value={String(inspection.nodeCount)} testId="stat-nodes" />
            <Stat
              label="Opset"
              value={Object.entries(inspection.opsets).map(([domain, version]) => `${domain || 'ai.onnx'} ${version}`).join(', ') || '—'}
              testId="stat-opset"
            />
            <Stat
              label="Producer"
              value={inspection.producer ? `${inspection.producer.name} ${inspection.producer.version}`.trim() : '—'}
              testId="stat-producer"
            />
          </section>
          {inspection.macs === null && <MacsExplain key={model.id} model={model} inspection={inspection} />}
          <WarningList warnings={inspection.warnings} />
          <div className="columns">
            <section className="panel">
              <h2>Inputs</h2>
              <TensorTable tensors={inspection.inputs} testId="inputs-table" />
              <h2>Outputs</h2>
              <TensorTable tensors={inspection.outputs} testId="outputs-table" />
              <h2>Parameters by type</h2>
              <table className="table" data-testid="dtype-table">
                <thead>
                  <tr>
                    <th>dtype</th>
                    <th className="num">count</th>
                    <th className="num">bytes</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(inspection.parameters.byDtype).map(([dtype, { count, bytes }]) => (
                    <tr key={dtype}>
                      <td>{dtype}</td>
                      <td className="num">{count.toLocaleString('en-US')}</td>
                      <td className="num">{formatBytes(bytes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="panel">
              <h2>Operators</h2>
              <OpHistogramChart histogram={inspection.opHistogram} />
            </section>
          </div>
        </>
      )}
    </>
  )
}
