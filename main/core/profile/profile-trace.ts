// Reads the JSON trace ONNX Runtime's profiler writes (Chrome trace format: an array of complete events,
// times in microseconds). Each inference is one Session event named 'model_run'; every kernel it ran is a
// Node event named '<node name>_kernel_time' with its op in args.op_name, inside that run's time span.
// Pure: tested directly on real traces.

export interface TraceEvent {
  readonly cat?: string
  readonly name?: string
  readonly ts?: number
  readonly dur?: number
  readonly args?: { readonly op_name?: string; readonly provider?: string }
}

export interface TraceKernel {
  /** The node name ONNX Runtime ran (after its graph optimizations). */
  readonly name: string
  readonly op: string
  readonly us: number
}

export interface TraceRun {
  /** The model_run event's duration. */
  readonly runUs: number
  /** Every kernel that ran inside that run's time span, in order (a node inside a Loop body, once per iteration). */
  readonly kernels: readonly TraceKernel[]
}

const kernelSuffix = '_kernel_time'

export function parseTrace(events: readonly TraceEvent[]): TraceRun[] {
  const runs = events
    .filter((e) => e.cat === 'Session' && e.name === 'model_run' && typeof e.ts === 'number' && typeof e.dur === 'number')
    .map((e) => ({ start: e.ts as number, end: (e.ts as number) + (e.dur as number), runUs: e.dur as number, kernels: [] as TraceKernel[] }))
    .sort((a, b) => a.start - b.start)
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name?.endsWith(kernelSuffix) || typeof e.ts !== 'number') continue
    const run = runs[lastStartingBy(runs, e.ts)]
    if (run && e.ts <= run.end) run.kernels.push({ name: e.name.slice(0, -kernelSuffix.length), op: e.args?.op_name ?? '', us: e.dur ?? 0 })
  }
  return runs.map(({ runUs, kernels }) => ({ runUs, kernels }))
}

/** Index of the last run that starts at or before ts (runs sorted by start); -1 when none does. */
function lastStartingBy(runs: readonly { readonly start: number }[], ts: number): number {
  let low = 0
  let high = runs.length - 1
  let found = -1
  while (low <= high) {
    const mid = (low + high) >> 1
    if ((runs[mid] as { start: number }).start <= ts) {
      found = mid
      low = mid + 1
    } else high = mid - 1
  }
  return found
}
