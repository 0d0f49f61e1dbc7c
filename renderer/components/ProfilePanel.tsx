// Per-operator profile of the selected model (Benchmark tab): where one run's time goes, node by node and
// by op type, measured with ONNX Runtime's profiler in a worker; for a variant, each node next to its
// parent's with the reason for big changes. Every time shows its spread over the runs.
import { useEffect, useState } from 'react'
import type { JobId, ModelEntry, ProfileResult } from '../../preload/api'
import { formatShare, formatSpread } from '../format'
import { latestProfile } from '../compare/stored-results'
import { useAppStore } from '../store/store-context'
import { JobStatus } from './JobStatus'

const TOP = 10

function Summary({ profile }: { profile: ProfileResult }): React.JSX.Element {
  const covered = profile.runMs.meanMs > 0 ? profile.nodeSumMs.meanMs / profile.runMs.meanMs : 0
  return (
    <p data-testid="profile-summary">
      One run took <strong data-testid="profile-run-time">{formatSpread(profile.runMs.meanMs, profile.runMs.stdDevMs)}</strong> (mean ± standard deviation
      over {profile.runs} runs, batch {profile.batch}, {profile.threads} thread{profile.threads > 1 ? 's' : ''}); its nodes account for{' '}
      {formatShare(covered)} of it, the rest is the runtime’s own work between them.
    </p>
  )
}

function TopNodes({ profile }: { profile: ProfileResult }): React.JSX.Element {
  return (
    <table className="table" data-testid="profile-top">
      <thead>
        <tr>
          <th>node</th>
          <th>op</th>
          <th>ran as</th>
          <th className="num">time per run</th>
          <th className="num">share</th>
        </tr>
      </thead>
      <tbody>
        {profile.nodes.slice(0, TOP).map((n) => (
          <tr key={n.name} data-testid="profile-node" data-node-name={n.name} data-share={n.share}>
            <td title={n.fused?.length ? `also runs ${n.fused.join(', ')} (fused into it)` : undefined}>
              {n.name}
              {n.runtimeOnly && <span className="muted"> (added by the runtime)</span>}
            </td>
            <td>{n.opType}</td>
            <td>{n.ranAs ?? ''}</td>
            <td className="num">{formatSpread(n.meanMs, n.stdDevMs)}</td>
            <td className="num" data-testid="profile-node-share">
              {n.hasSubgraph ? 'holds subgraphs' : formatShare(n.share)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function OpTypes({ profile }: { profile: ProfileResult }): React.JSX.Element {
  return (
    <table className="table" data-testid="profile-op-types">
      <thead>
        <tr>
          <th>op type</th>
          <th className="num">nodes</th>
          <th className="num">time per run</th>
          <th className="num">share</th>
        </tr>
      </thead>
      <tbody>
        {profile.opTypes.map((o) => (
          <tr key={o.opType} data-testid="profile-op-type" data-op-type={o.opType}>
            <td>{o.opType}</td>
            <td className="num">{o.nodes}</td>
            <td className="num">{formatSpread(o.meanMs, o.stdDevMs)}</td>
            <td className="num">{formatShare(o.share)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function VersusParent({ profile }: { profile: ProfileResult }): React.JSX.Element | null {
  const parent = profile.parent
  if (!parent) return null
  const notes = parent.nodes.filter((c) => c.note)
  return (
    <>
      <h2>Next to {parent.model}</h2>
      <p className="muted">
        {parent.model} ran in {formatSpread(parent.runMs.meanMs, parent.runMs.stdDevMs)} with the same settings. Nodes are matched by name; ratios are of the median
        times, and one marked “noise” could be chance: the two models’ runs do not differ clearly (rank test over the runs).
      </p>
      {notes.length > 0 && (
        <ul data-testid="profile-notes">
          {notes.map((c) => (
            <li key={c.name}>
              <strong>{c.name}</strong>: {c.note}
            </li>
          ))}
        </ul>
      )}
      <table className="table" data-testid="profile-vs-parent">
        <thead>
          <tr>
            <th>node</th>
            <th>op</th>
            <th className="num">{parent.model}</th>
            <th className="num">this model</th>
            <th className="num">ratio of medians</th>
          </tr>
        </thead>
        <tbody>
          {parent.nodes.slice(0, TOP).map((c) => (
            <tr key={c.name} data-testid="profile-change" data-node-name={c.name}>
              <td>{c.name}</td>
              <td>{c.opType}</td>
              <td className="num">{c.parent ? formatSpread(c.parent.meanMs, c.parent.stdDevMs) : '—'}</td>
              <td className="num">{c.variant ? formatSpread(c.variant.meanMs, c.variant.stdDevMs) : '—'}</td>
              <td className="num">{c.ratio === undefined ? '' : `${c.ratio.toFixed(2)}×${c.significant ? '' : ' (noise)'}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

export function ProfilePanel({ model }: { model: ModelEntry }): React.JSX.Element | null {
  // The model's fixed batch, else 1.
  const [batch, setBatch] = useState(() => {
    const first = model.inspection?.inputs.find((input) => input.shape.length > 0)?.shape[0]
    return typeof first === 'number' && first > 0 ? first : 1
  })
  const [threads, setThreads] = useState(1)
  const [runs, setRuns] = useState(20)
  const [jobId, setJobId] = useState<JobId | null>(null)
  const startJob = useAppStore((state) => state.startJob)
  const loadResults = useAppStore((state) => state.loadResults)
  const profile = useAppStore((state) => latestProfile(state.results, model.id))
  const savingInputs = useAppStore((state) => state.savingInputSpecs > 0)

  useEffect(() => {
    void loadResults([model.id])
  }, [model.id, loadResults])

  if (model.format !== 'onnx') return null
  const whole = (n: number, min: number): boolean => Number.isInteger(n) && n >= min
  const ready = whole(batch, 1) && whole(threads, 1) && whole(runs, 2) && !savingInputs
  const profileNow = (): void => {
    void startJob({ kind: 'profile', modelId: model.id, options: { batch, threads, runs } }).then(setJobId)
  }
  return (
    <section className="panel form-panel" data-testid="profile-panel">
      <h2>Time per operator</h2>
      <div className="form-row">
        <label className="field">
          <span className="field-label">Batch size</span>
          <input className="input" type="number" min={1} value={batch} onChange={(e) => setBatch(Number(e.currentTarget.value))} data-testid="profile-batch" />
        </label>
        <label className="field">
          <span className="field-label">Threads</span>
          <input className="input" type="number" min={1} value={threads} onChange={(e) => setThreads(Number(e.currentTarget.value))} data-testid="profile-threads" />
        </label>
        <label className="field">
          <span className="field-label">Profiled runs</span>
          <input className="input" type="number" min={2} value={runs} onChange={(e) => setRuns(Number(e.currentTarget.value))} data-testid="profile-runs" />
        </label>
        <button type="button" className="button primary" disabled={!ready} data-testid="profile-run" onClick={profileNow}>
          Profile
        </button>
      </div>
      <JobStatus jobId={jobId} testId="profile-job" />
      {!profile && <p className="muted">Profile this model to see which nodes and op types its run time goes to{model.lineage ? ', next to its parent' : ''}.</p>}
      {profile && (
        <>
          <Summary profile={profile} />
          <h2>Top {TOP} nodes</h2>
          <TopNodes profile={profile} />
          <h2>By op type</h2>
          <OpTypes profile={profile} />
          <VersusParent profile={profile} />
          {profile.notRun.length > 0 && (
            <p className="muted">
              {profile.notRun.length} node{profile.notRun.length > 1 ? 's' : ''} never ran: the runtime folded them into constants or removed them.
            </p>
          )}
        </>
      )}
    </section>
  )
}
