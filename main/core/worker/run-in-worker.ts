// Runs one task in a fresh worker process and settles with its result. The process is the unit of
// isolation: a crash, a time limit or a memory cap kills it and fails only this task; cancel asks the
// task to stop and kills the process if it has not within the grace period.
import { readFile } from 'node:fs/promises'
import { CancelledError, fromErrorInfo, UserError } from '../errors'
import type { SpawnWorker, WorkerFlags, WorkerHandle } from './spawn-node-worker'
import type { TaskName, TaskParams, TaskResult } from './task-registry'
import { formatBytes } from '../../../preload/format'

export interface RunOptions {
  readonly signal?: AbortSignal
  /** How to start the worker process. */
  readonly flags?: WorkerFlags
  onProgress?(fraction: number, stage: string, detail?: string): void
  /** Kill the worker past this many milliseconds. */
  readonly timeLimitMs?: number
  /** Kill the worker when its resident memory grows past this many bytes (Linux: read from /proc). */
  readonly memoryCapBytes?: number
  /** Milliseconds a cancelled task gets to stop before its process is killed. */
  readonly cancelGraceMs?: number
  /** Called once with the worker's pid when it is up (benchmarks sample its memory). */
  onStarted?(pid: number): void
  /** Called with the worker's peak resident memory when its task succeeded (Linux: VmHWM). */
  onPeakRss?(bytes: number): void
}

/** The worker process died or was killed before it answered. */
export class WorkerFailedError extends UserError {
  override name = 'WorkerFailedError'
}

const MEMORY_POLL_MS = 100

async function readStatusBytes(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

export function readRssBytes(pid: number): Promise<number | undefined> {
  return readStatusBytes(pid, 'VmRSS')
}

/** The process's peak resident memory so far (VmHWM), where /proc has it. */
export function readPeakRssBytes(pid: number | 'self' = 'self'): Promise<number | undefined> {
  return readStatusBytes(pid, 'VmHWM')
}

export function runInWorker<T extends TaskName>(
  spawn: SpawnWorker,
  task: T,
  params: TaskParams<T>,
  options: RunOptions = {},
): Promise<TaskResult<T>> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CancelledError())
      return
    }
    const worker: WorkerHandle = spawn(options.flags)
    const taskId = 1
    let settled = false
    let killReason: Error | undefined
    const timers: NodeJS.Timeout[] = []

    const finish = (outcome: () => void): void => {
      if (settled) return
      settled = true
      timers.forEach(clearTimeout)
      clearInterval(memoryPoll)
      options.signal?.removeEventListener('abort', onAbort)
      worker.kill()
      outcome()
    }
    const killWith = (reason: Error): void => {
      killReason = reason
      worker.kill()
    }
    const onAbort = (): void => {
      worker.send({ type: 'cancel', taskId })
      timers.push(setTimeout(() => killWith(new CancelledError()), options.cancelGraceMs ?? 1000))
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })

    if (options.timeLimitMs !== undefined) {
      const seconds = Math.round(options.timeLimitMs / 100) / 10
      timers.push(
        setTimeout(
          () => killWith(new WorkerFailedError(`the task ran past its time limit of ${seconds} s and was stopped`)),
          options.timeLimitMs,
        ),
      )
    }
    const cap = options.memoryCapBytes
    const memoryPoll = setInterval(() => {
      if (cap === undefined || worker.pid === undefined) return
      void readRssBytes(worker.pid).then((rss) => {
        if (rss !== undefined && rss > cap && !settled) {
          killWith(new WorkerFailedError(`the worker grew past its memory cap of ${formatBytes(cap)} (${formatBytes(rss)}) and was stopped`))
        }
      })
    }, MEMORY_POLL_MS)

    worker.onMessage((message) => {
      switch (message.type) {
        case 'ready':
          options.onStarted?.(message.pid)
          worker.send({ type: 'run', taskId, task, params })
          break
        case 'progress':
          options.onProgress?.(message.fraction, message.stage, message.detail)
          break
        case 'result':
          if (message.peakRssBytes !== undefined) options.onPeakRss?.(message.peakRssBytes)
          finish(() => resolve(message.result as TaskResult<T>))
          break
        case 'error': {
          const error = fromErrorInfo(message.error)
          finish(() => reject(error))
          break
        }
      }
    })
    worker.onExit((code, signal) => {
      finish(() =>
        reject(
          killReason ??
            new WorkerFailedError(
              `the worker process ${signal ? `was killed by ${signal}` : `exited with code ${code}`} while running "${task}"`,
            ),
        ),
      )
    })
  })
}
