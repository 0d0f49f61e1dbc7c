// Deployments: per target, the models and their versions (which serves, what recipe made it, its
// benchmark), live request rate, p50/p99 latency and errors charted from the server's metrics, drift
// warnings; promote, rollback and delete, each confirmed first.
import { useEffect, useState } from 'react'
import type { DeploymentChange, DeploymentMetrics, DeploymentModel, TargetInfo } from '../../../preload/api'
import { EChart, type ChartOption } from '../../charts/EChart'
import { metricsKey } from '../../store/deployments-slice'
import { useAppStore } from '../../store/store-context'
import { recipeChain } from '../../../preload/reports'
import { Dialog } from '../Dialog'
import { benchmarkLine } from './deploy-format'
import './deploy.css'
import { TargetForm } from './TargetForm'

const POLL_MS = 3000

function metricsOption(samples: readonly DeploymentMetrics[]): ChartOption {
  const at = (s: DeploymentMetrics): string => new Date(s.at).toLocaleTimeString()
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 28, bottom: 24 },
    xAxis: { type: 'category', data: samples.map(at) },
    yAxis: [
      { type: 'value', name: 'req/s' },
      { type: 'value', name: 'ms' },
    ],
    series: [
      { name: 'requests/s', type: 'line', data: samples.map((s) => s.requestRate), showSymbol: false },
      { name: 'errors/s', type: 'line', data: samples.map((s) => s.errorRate), showSymbol: false },
      { name: 'p50 ms', type: 'line', yAxisIndex: 1, data: samples.map((s) => s.p50Ms), showSymbol: false },
      { name: 'p99 ms', type: 'line', yAxisIndex: 1, data: samples.map((s) => s.p99Ms), showSymbol: false },
    ],
  }
}

function ModelCard({ target, model }: { target: TargetInfo; model: DeploymentModel }): React.JSX.Element {
  const change = useAppStore((state) => state.changeDeployment)
  const sample = useAppStore((state) => state.sampleMetrics)
  const samples = useAppStore((state) => state.metrics[metricsKey(target.name, model.name)]) ?? []
  const [pending, setPending] = useState<DeploymentChange | null>(null)
  const live = target.kind === 'slipway'

  useEffect(() => {
    if (!live) return undefined
    void sample(target.name, model.name)
    const timer = setInterval(() => void sample(target.name, model.name), POLL_MS)
    return () => clearInterval(timer)
  }, [live, sample, target.name, model.name])

  const last = samples.at(-1)
  const describe = (c: DeploymentChange): string =>
    c.action === 'rollback' ? `Roll back ${c.model} to version ${c.version ?? model.previous ?? 'before'}?` : c.action === 'promote' ? `Serve version ${c.version} of ${c.model}?` : `Delete version ${c.version} of ${c.model}?`

  return (
    <article className="panel deployment" data-testid={`deployment-${model.name}`} data-serving={model.serving ?? ''}>
      <div className="panel-head">
        <h2>
          {model.name} <span className="badge">{model.state}</span>
        </h2>
        <span>
          serving <strong data-testid="serving-version">{model.serving ?? 'none'}</strong>
          {model.previous ? ` · previous ${model.previous}` : ''}
        </span>
        {live && model.previous && (
          <button type="button" className="button small" data-testid="rollback" onClick={() => setPending({ action: 'rollback', model: model.name })}>
            Roll back
          </button>
        )}
      </div>
      {pending && (
        <Dialog
          title="Change what the server serves"
          size="small"
          testId="confirm-change"
          onClose={() => setPending(null)}
          actions={
            <>
              <button type="button" className="button" onClick={() => setPending(null)}>
                Cancel
              </button>
              <button
                type="button"
                className={`button primary${pending.action === 'delete' ? ' danger' : ''}`}
                data-testid="confirm-yes"
                onClick={() => {
                  const c = pending
                  setPending(null)
                  void change(target.name, c)
                }}
              >
                {pending.action === 'delete' ? 'Delete' : pending.action === 'rollback' ? 'Roll back' : 'Promote'}
              </button>
            </>
          }
        >
          <p>{describe(pending)}</p>
        </Dialog>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Made by</th>
            <th>Benchmark</th>
            <th>Published</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {model.versions.map((v) => (
            <tr key={v.version} data-testid={`version-${v.version}`}>
              <td>
                {v.version}
                {v.serving ? ' · serving' : ''}
                {v.canary ? ' · canary' : ''}
              </td>
              <td>{recipeChain(v.lineage)}</td>
              <td>{benchmarkLine(v.metrics) ?? '—'}</td>
              <td>{v.createdAt ? new Date(v.createdAt).toLocaleString() : ''}</td>
              <td>
                {live && !v.serving && (
                  <>
                    <button type="button" className="button small" data-testid={`promote-${v.version}`} onClick={() => setPending({ action: 'promote', model: model.name, version: v.version })}>
                      Promote
                    </button>
                    <button type="button" className="button ghost small" data-testid={`delete-${v.version}`} onClick={() => setPending({ action: 'delete', model: model.name, version: v.version })}>
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {live && (
        <>
          <div className="field-help" data-testid="live-metrics">
            {last ? `${last.totalRequests} requests, ${last.totalErrors} errors in all` : 'reading metrics…'}
            {last?.p50Ms != null ? ` · p50 ${last.p50Ms.toFixed(2)} ms · p99 ${(last.p99Ms ?? 0).toFixed(2)} ms` : ''}
          </div>
          {last?.driftWarnings.map((warning) => (
            <p className="warning" key={warning} data-testid="drift-warning">
              {warning}
            </p>
          ))}
          {samples.length > 1 && <EChart option={metricsOption(samples)} height={180} testId="metrics-chart" />}
        </>
      )}
    </article>
  )
}

export function DeploymentsView(): React.JSX.Element {
  const targets = useAppStore((state) => state.targets)
  const loadTargets = useAppStore((state) => state.loadTargets)
  const removeTarget = useAppStore((state) => state.removeTarget)
  const deployments = useAppStore((state) => state.deployments)
  const loadDeployments = useAppStore((state) => state.loadDeployments)
  const [selected, setSelected] = useState('')
  const [adding, setAdding] = useState(false)
  const [removing, setRemoving] = useState(false)
  useEffect(() => void loadTargets(), [loadTargets])
  const target = targets.find((t) => t.name === selected) ?? targets[0]
  useEffect(() => {
    if (target) void loadDeployments(target.name)
  }, [target, loadDeployments])
  const list = target ? deployments[target.name] : undefined

  return (
    <section className="deployments-view" data-testid="deployments-view">
      <header className="page-header">
        <h1>Deployments</h1>
        <div className="publish-actions">
          {targets.length > 0 && (
            <select aria-label="Target" value={target?.name ?? ''} onChange={(e) => setSelected(e.target.value)} data-testid="deployments-target">
              {targets.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name} ({t.kind})
                </option>
              ))}
            </select>
          )}
          {target && (
            <button type="button" className="button" onClick={() => void loadDeployments(target.name)} data-testid="deployments-refresh">
              Refresh
            </button>
          )}
          <button type="button" className="button" onClick={() => setAdding(true)}>
            Add target…
          </button>
          {target && (
            <button type="button" className="button ghost" onClick={() => setRemoving(true)}>
              Remove target…
            </button>
          )}
        </div>
      </header>
      {targets.length === 0 && (
        <section className="panel form-panel">
          <h2>Add a deployment target</h2>
          <p className="muted">A Slipway server, a Triton server, or a folder to export model repositories to.</p>
          <TargetForm />
        </section>
      )}
      {adding && targets.length > 0 && (
        <Dialog title="Add a deployment target" onClose={() => setAdding(false)}>
          <TargetForm onDone={() => setAdding(false)} />
        </Dialog>
      )}
      {removing && target && (
        <Dialog
          title={`Remove ${target.name}?`}
          size="small"
          onClose={() => setRemoving(false)}
          actions={
            <>
              <button type="button" className="button" onClick={() => setRemoving(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="button primary danger"
                onClick={() => {
                  setRemoving(false)
                  void removeTarget(target.name)
                }}
              >
                Remove target
              </button>
            </>
          }
        >
          <p>Slipway forgets this target and its token. Nothing is deleted on the server or in the folder.</p>
        </Dialog>
      )}
      {target && list && list.models.length === 0 && <p className="empty-inline">Nothing published on {target.name} yet.</p>}
      {target && list?.models.map((model) => <ModelCard key={model.name} target={target} model={model} />)}
    </section>
  )
}
