// What a task running in the worker process sees of its job: progress reporting and cancellation.
import { CancelledError } from '../errors'

export interface JobContext {
  readonly signal: AbortSignal
  /** fraction in 0..1 of the whole task; stage is a short word ("calibrating"), detail a free line. */
  progress(fraction: number, stage: string, detail?: string): void
  /** Throws CancelledError once the job was cancelled; call it between units of work. */
  throwIfCancelled(): void
}

export function createJobContext(
  signal: AbortSignal,
  onProgress: (fraction: number, stage: string, detail?: string) => void,
): JobContext {
  return {
    signal,
    progress: (fraction, stage, detail) => onProgress(Math.min(1, Math.max(0, fraction)), stage, detail),
    throwIfCancelled: () => {
      if (signal.aborted) throw new CancelledError()
    },
  }
}

/** A context for direct calls (CLI, tests) that prints nothing and is never cancelled unless given a signal. */
export function silentJobContext(signal: AbortSignal = new AbortController().signal): JobContext {
  return createJobContext(signal, () => undefined)
}
