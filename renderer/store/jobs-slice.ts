// Jobs as the engine reports them (progress, result, error), and starting and cancelling them.
import type { JobId, JobInfo, JobRequest } from '../../preload/api'
import type { SliceCreator } from './app-store'

export interface JobsSlice {
  readonly jobs: Readonly<Record<JobId, JobInfo>>
  readonly jobOrder: readonly JobId[]
  jobUpdated(job: JobInfo): void
  loadJobs(): Promise<void>
  startJob(request: JobRequest): Promise<JobId | null>
  cancelJob(id: JobId): Promise<void>
}

export const createJobsSlice: SliceCreator<JobsSlice> = (bridge) => (set, get) => ({
  jobs: {},
  jobOrder: [],
  jobUpdated(job) {
    set((state) => ({
      jobs: { ...state.jobs, [job.id]: job },
      jobOrder: state.jobOrder.includes(job.id) ? state.jobOrder : [...state.jobOrder, job.id],
    }))
  },
  async loadJobs() {
    for (const job of await bridge.listJobs()) get().jobUpdated(job)
  },
  async startJob(request) {
    try {
      return await bridge.startJob(request)
    } catch (error) {
      get().showError(error)
      return null
    }
  },
  async cancelJob(id) {
    await bridge.cancelJob(id)
  },
})
