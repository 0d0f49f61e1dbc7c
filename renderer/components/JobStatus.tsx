// One job's state inline where it was started: progress, cancel, and the error in the engine's words.
import type { JobId } from '../../preload/api'
import { MessageText } from '../messages/MessageText'
import { useAppStore } from '../store/store-context'

export function JobStatus({ jobId, testId }: { jobId: JobId | null; testId: string }): React.JSX.Element | null {
  const job = useAppStore((state) => (jobId ? state.jobs[jobId] : undefined))
  const cancel = useAppStore((state) => state.cancelJob)
  if (!job) return null
  const active = job.state === 'queued' || job.state === 'running'
  return (
    <div className={`inline-job job-${job.state}${job.warning ? ' job-warning' : ''}`} data-testid={testId} data-job-state={job.state} data-job-warning={job.warning ? 'true' : undefined}>
      {active ? (
        <>
          <div className="job-progress" role="progressbar" aria-label={job.title} aria-valuenow={Math.round(job.progress.fraction * 100)} aria-valuemin={0} aria-valuemax={100}>
            <div className="job-progress-fill" style={{ width: `${job.progress.fraction * 100}%` }} />
          </div>
          <span className="inline-job-text">
            {job.progress.stage}
            {job.progress.detail ? ` · ${job.progress.detail}` : ''}
          </span>
          <button type="button" className="button ghost small" onClick={() => void cancel(job.id)}>
            Cancel
          </button>
        </>
      ) : (
        <div className="inline-job-text" role={job.state === 'failed' || job.warning ? 'alert' : undefined}>
          {job.warning ? (
            <MessageText info={job.warning} prefix="⚠ No new variant: " />
          ) : job.state === 'succeeded' ? (
            '✓ Done'
          ) : job.state === 'cancelled' ? (
            'Cancelled'
          ) : (
            <MessageText info={job.error ?? { name: 'Error', message: 'failed' }} prefix="✗ " />
          )}
          {job.error?.inputProblems?.length ? <div className="message-line">Set them under Model inputs (marked there).</div> : null}
        </div>
      )}
    </div>
  )
}
