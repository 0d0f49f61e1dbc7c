// Messages between the engine (parent) and a worker process. Plain data only: they cross process boundaries.
import type { ErrorInfo } from '../../../preload/api'

export type ToWorker =
  | { readonly type: 'run'; readonly taskId: number; readonly task: string; readonly params: unknown }
  | { readonly type: 'cancel'; readonly taskId: number }

export type FromWorker =
  | { readonly type: 'ready'; readonly pid: number }
  | {
      readonly type: 'progress'
      readonly taskId: number
      readonly fraction: number
      readonly stage: string
      readonly detail?: string
    }
  | {
      readonly type: 'result'
      readonly taskId: number
      readonly result: unknown
      /** The worker's peak resident memory, read as it finished (benchmarks report it). */
      readonly peakRssBytes?: number
    }
  | { readonly type: 'error'; readonly taskId: number; readonly error: ErrorInfo }
