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
  /** Forgets the jobs that ended, in the engine and here ("Clear finished" in the job tray). */
  clearFinishedJobs(): Promise<void>
  /** The job tray shows only its summary line. */
  readonly trayCollapsed: boolean
  setTrayCollapsed(collapsed: boolean): void
}

/** The job tray's one line: "2 running · 3 done · 1 failed" (kinds with no job left out). */
export function jobSummary(jobs: readonly JobInfo[]): string {
  const labels: readonly [JobInfo['state'], string][] = [
    ['running', 'running'],
    ['queued', 'queued'],
    ['succeeded', 'done'],
    ['failed', 'failed'],
    ['cancelled', 'cancelled'],
  ]
  return labels
    .map(([state, label]) => [jobs.filter((job) => job.state === state).length, label] as const)
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n} ${label}`)
    .join(' · ')
}

/**
 * Partial results only grow (a benchmark's finished configurations): while no new one has come, keep the
 * previous array so that views drawing them (tables, charts) do not redraw on every progress tick.
 */
export function keepPartial(previous: JobInfo | undefined, next: JobInfo): JobInfo {
  const before = previous?.progress.partial
  const after = next.progress.partial
  if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length) return next
  return { ...next, progress: { ...next.progress, partial: before } }
}

export const createJobsSlice: SliceCreator<JobsSlice> = (bridge) => (set, get) => ({
  jobs: {},
  jobOrder: [],
  jobUpdated(job) {
    set((state) => ({
      jobs: { ...state.jobs, [job.id]: keepPartial(state.jobs[job.id], job) },
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
  async clearFinishedJobs() {
    try {
      const cleared = new Set(await bridge.clearFinishedJobs())
      set((state) => ({
        jobs: Object.fromEntries(Object.entries(state.jobs).filter(([id]) => !cleared.has(id))),
        jobOrder: state.jobOrder.filter((id) => !cleared.has(id)),
      }))
    } catch (error) {
      get().showError(error)
    }
  },
  trayCollapsed: false,
  setTrayCollapsed: (collapsed) => set({ trayCollapsed: collapsed }),
})
