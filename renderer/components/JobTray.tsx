// Running and recent jobs with progress bars and cancel.
import { useShallow } from 'zustand/react/shallow'
import type { JobInfo } from '../../preload/api'
import { MessageText } from '../messages/MessageText'
import { useAppStore } from '../store/store-context'

function JobRow({ job }: { job: JobInfo }): React.JSX.Element {
  const cancel = useAppStore((state) => state.cancelJob)
  const active = job.state === 'queued' || job.state === 'running'
  return (
    <li className={`job job-${job.state}`} data-testid="job" data-job-state={job.state} data-job-kind={job.kind}>
      <div className="job-title">{job.title}</div>
      <div className="job-progress" role="progressbar" aria-label={job.title} aria-valuenow={Math.round(job.progress.fraction * 100)} aria-valuemin={0} aria-valuemax={100}>
        <div className="job-progress-fill" style={{ width: `${job.progress.fraction * 100}%` }} />
      </div>
      <div className="job-status" data-testid="job-status">
        {job.state === 'failed' && job.error ? (
          <MessageText info={job.error} />
        ) : job.warning ? (
          <MessageText info={job.warning} prefix="No new variant: " />
        ) : job.state === 'running' ? (
          `${job.progress.stage}${job.progress.detail ? ` · ${job.progress.detail}` : ''}`
        ) : (
          job.state
        )}
      </div>
      {active && (
        <button type="button" className="button ghost small" data-testid="job-cancel" onClick={() => void cancel(job.id)}>
          Cancel
        </button>
      )}
    </li>
  )
}

export function JobTray(): React.JSX.Element | null {
  const jobs = useAppStore(useShallow((state) => state.jobOrder.slice(-5).map((id) => state.jobs[id] as JobInfo)))
  if (jobs.length === 0) return null
  return (
    <section className="job-tray" aria-label="Jobs" data-testid="job-tray">
      <ul>
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} />
        ))}
      </ul>
    </section>
  )
}
