// The batch × threads surface: which configuration gives the most samples per second while its p95
// latency stays under the user's cap (DL Workbench's "sweet spot"). Pure functions.
import type { BenchmarkResult, SweetSpot } from '../../../preload/api'

type Point = Pick<BenchmarkResult, 'model' | 'batch' | 'threads' | 'latencyMs' | 'throughput'>

/** Per model (in first-seen order): the best throughput within the cap, or the best overall without one. */
export function sweetSpots(results: readonly Point[], latencyCapMs?: number): SweetSpot[] {
  const models = [...new Set(results.map((r) => r.model))]
  return models.map((model) => {
    const own = results.filter((r) => r.model === model)
    const within = latencyCapMs === undefined ? own : own.filter((r) => r.latencyMs.p95 <= latencyCapMs)
    const cap = latencyCapMs === undefined ? {} : { latencyCapMs }
    if (within.length === 0) {
      const fastest = Math.min(...own.map((r) => r.latencyMs.p95))
      return { model, ...cap, note: `no configuration meets the cap: the lowest p95 was ${fastest.toFixed(3)} ms` }
    }
    const best = within.reduce((a, b) =>
      b.throughput.samplesPerSec > a.throughput.samplesPerSec ||
      (b.throughput.samplesPerSec === a.throughput.samplesPerSec && b.latencyMs.p95 < a.latencyMs.p95)
        ? b
        : a,
    )
    return { model, ...cap, batch: best.batch, threads: best.threads, samplesPerSec: best.throughput.samplesPerSec, p95Ms: best.latencyMs.p95 }
  })
}
