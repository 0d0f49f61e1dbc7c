// The body of the Publish dialog of a model or variant: pick a target and a name, publish in one click, follow the
// stages (pre-flight, upload %, verify, smoke test, live), answer when the name is taken, see the result.
import { useEffect, useState } from 'react'
import type { ModelEntry } from '../../../preload/api'
import { MessageText } from '../../messages/MessageText'
import { useAppStore } from '../../store/store-context'
import { serverModelName } from './deploy-format'
import { PublishResultView } from './PublishResultView'
import { TargetForm } from './TargetForm'

export function PublishPanel({ model }: { model: ModelEntry }): React.JSX.Element {
  const targets = useAppStore((state) => state.targets)
  const loadTargets = useAppStore((state) => state.loadTargets)
  const publish = useAppStore((state) => state.publish)
  const ask = useAppStore((state) => (state.publishAsk?.modelId === model.id ? state.publishAsk : null))
  const answer = useAppStore((state) => state.answerPublishAsk)
  const job = useAppStore((state) => {
    const id = state.publishJobs[model.id]
    return id ? state.jobs[id] : undefined
  })
  const [target, setTarget] = useState('')
  const [name, setName] = useState(serverModelName(model.name))
  const [adding, setAdding] = useState(false)

  useEffect(() => void loadTargets(), [loadTargets])
  const chosen = target || targets[0]?.name || ''
  const running = job?.state === 'queued' || job?.state === 'running'

  return (
    <section className="publish-panel" data-testid="publish-panel">
      {targets.length === 0 || adding ? (
        <>
          <p className="muted">
            {targets.length === 0 ? 'First, where to publish: a Slipway server, a Triton server, or a folder to export to.' : 'Another place to publish to.'}
          </p>
          <TargetForm onDone={() => setAdding(false)} />
        </>
      ) : (
        <div className="publish-form">
          <label className="field">
            <span className="field-label">Target</span>
            <select value={chosen} onChange={(e) => setTarget(e.target.value)} data-testid="publish-target">
              {targets.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name} ({t.kind})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Model name on the target</span>
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="publish-name" />
          </label>
          <div className="publish-actions">
            <button
              type="button"
              className="button primary"
              disabled={running || !chosen || !name}
              onClick={() => void publish(model.id, { target: chosen, name })}
              data-testid="publish-start"
            >
              Publish
            </button>
            <button type="button" className="button small" onClick={() => setAdding(true)}>
              Add target…
            </button>
          </div>
        </div>
      )}
      {ask && (
        <div className="publish-ask" role="alertdialog" data-testid="publish-ask">
          <p>
            <strong>{ask.options.name}</strong> already exists on {ask.options.target} (versions {ask.versions.join(', ')}).
          </p>
          <button type="button" className="button primary small" onClick={() => void answer('new-version')} data-testid="publish-new-version">
            Publish as a new version
          </button>
          <button type="button" className="button small" onClick={() => void answer('replace')} data-testid="publish-replace">
            Replace (delete the other versions)
          </button>
          <button type="button" className="button ghost small" onClick={() => void answer('cancel')}>
            Cancel
          </button>
        </div>
      )}
      {job && (
        <div className="publish-progress" data-testid="publish-progress" data-state={job.state}>
          {running && (
            <>
              <div className="field-help" data-testid="publish-stage">
                {job.progress.stage}
                {job.progress.detail ? ` · ${job.progress.detail}` : ''}
              </div>
              <progress max={1} value={job.progress.fraction} />
            </>
          )}
          {job.state === 'failed' && (
            <div className="error" data-testid="publish-error">
              <MessageText info={job.error ?? { name: 'Error', message: 'publishing failed' }} />
            </div>
          )}
          {job.kind === 'publish' && job.result && <PublishResultView result={job.result} />}
        </div>
      )}
    </section>
  )
}
