// How a benchmark times each configuration when the options leave it open: shared by the engine, which
// reports the settings, and the worker that plans the configurations.
import type { BenchmarkOptions } from '../../../preload/api'

/** Without a run count, each configuration is timed until its median's 95% interval is within ±2%, for at most 10 s. */
export const benchDefaults = { warmup: 10, durationS: 10, stableWithin: 0.02, timeLimitS: 600 } as const

/** Exactly the runs asked for, or the adaptive stop within a time budget. */
export function timingOf(options: BenchmarkOptions): { readonly iterations: number } | { readonly durationS: number; readonly stableWithin: number } {
  if (options.iterations !== undefined) return { iterations: options.iterations }
  return { durationS: options.durationS ?? benchDefaults.durationS, stableWithin: options.stableWithin ?? benchDefaults.stableWithin }
}
