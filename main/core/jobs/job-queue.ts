// The jobs the engine runs: each has an id, progress, a result or an error, and can be cancelled.
// The queue runs a bounded number at once (two cores: more would only make them all slower).
import { randomUUID } from 'node:crypto'
import type { JobId, JobInfo, JobInfoBase, JobInfoOf, JobKind, JobProgress, JobResultOf } from '../../../preload/api'
import { CancelledError, toErrorInfo } from '../errors'

export interface JobRun {
  readonly signal: AbortSignal
  /** `partial`: results so far (a benchmark's finished configurations), so the UI can plot them live. */
  progress(fraction: number, stage: string, detail?: string, partial?: JobProgress['partial']): void
}

interface QueuedJob {
  info: JobInfo
  readonly controller: AbortController
  /** Runs the job; resolves with its info as succeeded, its result joined to it. */
  readonly run: (job: JobRun) => Promise<JobInfo>
}

export interface JobSpec<K extends JobKind> {
  readonly kind: K
  readonly title: string
  readonly modelId?: string
  readonly run: (job: JobRun) => Promise<JobResultOf<K>>
}

/** A job's info with its kind and result: TypeScript does not see that a generic K's info is one of JobInfo's members. */
function infoOf<K extends JobKind>(base: JobInfoBase, kind: K, result?: JobResultOf<K>): JobInfo {
  const info: JobInfoOf<K> = { ...base, kind, ...(result === undefined ? {} : { result }) }
  return info as JobInfo
}

const PROGRESS_EMIT_MS = 100

export class JobQueue {
  private readonly jobs = new Map<JobId, QueuedJob>()
  private readonly waiting: QueuedJob[] = []
  private running = 0
  private readonly waiters = new Map<JobId, ((info: JobInfo) => void)[]>()

  constructor(
    private readonly onUpdate: (job: JobInfo) => void,
    private readonly concurrency = 2,
  ) {}

  list(): readonly JobInfo[] {
    return [...this.jobs.values()].map((job) => job.info)
  }

  get(id: JobId): JobInfo | undefined {
    return this.jobs.get(id)?.info
  }

  start<K extends JobKind>(spec: JobSpec<K>): JobId {
    const id = randomUUID()
    const base: JobInfoBase = {
      id,
      title: spec.title,
      ...(spec.modelId === undefined ? {} : { modelId: spec.modelId }),
      state: 'queued',
      progress: { fraction: 0, stage: 'queued' },
      createdAt: new Date().toISOString(),
    }
    const job: QueuedJob = {
      info: infoOf(base, spec.kind),
      controller: new AbortController(),
      run: async (run) => {
        const result = await spec.run(run)
        const { kind: _kind, result: _none, ...current } = job.info
        return infoOf({ ...current, state: 'succeeded', progress: { fraction: 1, stage: 'done' }, finishedAt: new Date().toISOString() }, spec.kind, result)
      },
    }
    this.jobs.set(id, job)
    this.waiting.push(job)
    this.onUpdate(job.info)
    this.pump()
    return id
  }

  cancel(id: JobId): void {
    const job = this.jobs.get(id)
    if (!job || isFinished(job.info.state)) return
    job.controller.abort()
    const index = this.waiting.indexOf(job)
    if (index >= 0) {
      this.waiting.splice(index, 1)
      this.update(job, { state: 'cancelled', finishedAt: new Date().toISOString() })
    }
  }

  /** Forgets the jobs that ended (the job tray's "Clear finished"); returns their ids. */
  clearFinished(): JobId[] {
    const finished = [...this.jobs.values()].filter((job) => isFinished(job.info.state)).map((job) => job.info.id)
    for (const id of finished) this.jobs.delete(id)
    return finished
  }

  /** Settles when the job ends, with its final info. */
  waitFor(id: JobId): Promise<JobInfo> {
    const info = this.jobs.get(id)?.info
    if (!info) return Promise.reject(new Error(`unknown job ${id}`))
    if (isFinished(info.state)) return Promise.resolve(info)
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]))
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift() as QueuedJob
      this.running++
      void this.execute(job).finally(() => {
        this.running--
        this.pump()
      })
    }
  }

  private async execute(job: QueuedJob): Promise<void> {
    this.update(job, { state: 'running', progress: { fraction: 0, stage: 'starting' } })
    let lastEmit = 0
    const run: JobRun = {
      signal: job.controller.signal,
      progress: (fraction, stage, detail, partial) => {
        const progress: JobProgress = {
          fraction,
          stage,
          ...(detail === undefined ? {} : { detail }),
          ...(partial === undefined ? {} : { partial }),
        }
        const now = Date.now()
        // Progress can arrive per iteration; the UI needs a few updates a second, not thousands.
        if (now - lastEmit >= PROGRESS_EMIT_MS || fraction >= 1) {
          lastEmit = now
          this.update(job, { progress })
        } else {
          job.info = { ...job.info, progress }
        }
      },
    }
    try {
      const succeeded = await job.run(run)
      if (job.controller.signal.aborted) throw new CancelledError()
      this.settle(job, succeeded)
    } catch (error) {
      const cancelled = error instanceof CancelledError || job.controller.signal.aborted
      if (!cancelled && error instanceof Error && error.name === 'UnchangedError') {
        this.update(job, { state: 'succeeded', warning: toErrorInfo(error), progress: { fraction: 1, stage: 'done' }, finishedAt: new Date().toISOString() })
        return
      }
      this.update(job, {
        state: cancelled ? 'cancelled' : 'failed',
        ...(cancelled ? {} : { error: toErrorInfo(error) }),
        finishedAt: new Date().toISOString(),
      })
    }
  }

  private update(job: QueuedJob, change: Partial<JobInfoBase>): void {
    this.settle(job, { ...job.info, ...change })
  }

  private settle(job: QueuedJob, info: JobInfo): void {
    job.info = info
    this.onUpdate(job.info)
    if (isFinished(job.info.state)) {
      for (const resolve of this.waiters.get(job.info.id) ?? []) resolve(job.info)
      this.waiters.delete(job.info.id)
    }
  }
}

export function isFinished(state: JobInfo['state']): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled'
}
