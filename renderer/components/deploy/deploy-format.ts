// Small pure helpers of the deploy views: a model name a server accepts, and the benchmark of a version.
import type { PublishedBenchmark } from '../../../preload/api'

/** A name the servers accept ([A-Za-z0-9][A-Za-z0-9._-]*), from a workspace model's display name. */
export function serverModelName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^A-Za-z0-9]+|-+$/g, '')
  return (cleaned || 'model').slice(0, 128)
}

/** "p50 1.23 ms at batch 1, 812 samples/s" from the benchmark published with a version; null when none. */
export function benchmarkLine(metrics: PublishedBenchmark | undefined): string | null {
  if (!metrics) return null
  return `p50 ${metrics.p50Ms.toFixed(2)} ms at batch ${metrics.batch}, ${Math.round(metrics.samplesPerSec)} samples/s`
}
