// Running and recent jobs with progress bars and cancel, under a one-line summary that collapses the tray
// and clears the jobs that ended. The tray has its own row of the page grid, so it never covers the page.
import { useShallow } from 'zustand/react/shallow'
import type { JobInfo } from '../../preload/api'
import { MessageText } from '../messages/MessageText'
import { jobSummary } from '../store/jobs-slice'
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
  const all = useAppStore(useShallow((state) => state.jobOrder.map((id) => state.jobs[id] as JobInfo)))
  const collapsed = useAppStore((state) => state.trayCollapsed)
  const setCollapsed = useAppStore((state) => state.setTrayCollapsed)
  const clearFinished = useAppStore((state) => state.clearFinishedJobs)
  if (all.length === 0) return null
  const anyFinished = all.some((job) => job.state !== 'queued' && job.state !== 'running')
  return (
    <section className={`job-tray${collapsed ? ' collapsed' : ''}`} aria-label="Jobs" data-testid="job-tray" data-collapsed={collapsed}>
      <div className="job-tray-head">
        <button
          type="button"
          className="button ghost small"
          aria-expanded={!collapsed}
          aria-controls="job-tray-list"
          data-testid="job-tray-toggle"
          onClick={() => setCollapsed(!collapsed)}
        >
          <span aria-hidden="true">{collapsed ? '▸' : '▾'}</span> Jobs
        </button>
        <span className="job-tray-summary" data-testid="job-tray-summary" aria-live="polite">
          {jobSummary(all)}
        </span>
        <button type="button" className="button ghost small" data-testid="job-tray-clear" disabled={!anyFinished} onClick={() => void clearFinished()}>
          Clear finished
        </button>
      </div>
      {!collapsed && (
        <ul id="job-tray-list">
          {all.slice(-5).map((job) => (
            <JobRow key={job.id} job={job} />
          ))}
        </ul>
      )}
    </section>
  )
}
