// For tests that drive jobs through the app service as the UI does: wait for a job to end.
import type { JobInfo } from '../../../preload/api'
import type { AppService } from '../app-service'

/** Resolves with the job once it has succeeded, failed or been cancelled (it may have ended already). */
export function jobEnded(service: AppService, id: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const check = (job: JobInfo): void => {
      if (job.id === id && ['succeeded', 'failed', 'cancelled'].includes(job.state)) resolve(job)
    }
    service.on('job-updated', ({ job }) => check(job))
    service.jobs.list().forEach(check)
  })
}
