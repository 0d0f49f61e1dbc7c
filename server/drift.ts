// Input drift per model version: the population stability index of each input's values against the
// histogram uploaded with the version (the distribution the model was checked on).
import { z } from 'zod'
import type { TensorData } from './infer-codec'

export const inputHistogramSchema = z
  .object({
    edges: z.array(z.number()).min(2).max(1025),
    fractions: z.array(z.number().min(0)).min(1).max(1024),
  })
  .refine((h) => h.fractions.length === h.edges.length - 1, 'fractions must have one entry per bin (edges - 1)')
  .refine((h) => h.edges.every((e, i) => i === 0 || e > h.edges[i - 1]!), 'edges must increase')

export const inputStatsSchema = z.record(z.string().max(256), inputHistogramSchema)
export type InputHistogram = z.infer<typeof inputHistogramSchema>
export type InputStats = z.infer<typeof inputStatsSchema>

// Bins seen empty on either side would make PSI infinite; a small floor is the usual convention.
const FLOOR = 1e-4

/** PSI = sum over bins of (actual - expected) * ln(actual / expected), on fractions. */
export function populationStabilityIndex(expected: readonly number[], actualCounts: readonly number[]): number {
  const expectedTotal = expected.reduce((a, b) => a + b, 0)
  const actualTotal = actualCounts.reduce((a, b) => a + b, 0)
  if (expectedTotal <= 0 || actualTotal <= 0) return 0
  let psi = 0
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]! / expectedTotal, FLOOR)
    const a = Math.max((actualCounts[i] ?? 0) / actualTotal, FLOOR)
    psi += (a - e) * Math.log(a / e)
  }
  return psi
}

/** Index of the bin holding `value`; values outside the edges fall into the first or last bin. */
export function binIndex(edges: readonly number[], value: number): number {
  let lo = 0
  let hi = edges.length - 2
  if (value < edges[1]!) return 0
  if (value >= edges[hi]!) return hi
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (edges[mid]! <= value) lo = mid
    else hi = mid - 1
  }
  return lo
}

// Counting every element of a large input would cost more than the inference; a bounded stride sample
// per request estimates the same distribution.
const MAX_SAMPLES_PER_TENSOR = 256

export class DriftMonitor {
  private readonly counts = new Map<string, number[]>()

  constructor(private readonly stats: InputStats) {
    for (const [name, histogram] of Object.entries(stats)) this.counts.set(name, new Array(histogram.fractions.length).fill(0))
  }

  observe(name: string, data: TensorData): void {
    const histogram = this.stats[name]
    const counts = this.counts.get(name)
    if (!histogram || !counts || Array.isArray(data) || data.length === 0) return
    const stride = Math.max(1, Math.floor(data.length / MAX_SAMPLES_PER_TENSOR))
    for (let i = 0; i < data.length; i += stride) {
      const bin = binIndex(histogram.edges, Number(data[i]))
      counts[bin] = counts[bin]! + 1
    }
  }

  report(): Record<string, { psi: number; samples: number }> {
    const out: Record<string, { psi: number; samples: number }> = {}
    for (const [name, histogram] of Object.entries(this.stats)) {
      const counts = this.counts.get(name)!
      out[name] = { psi: populationStabilityIndex(histogram.fractions, counts), samples: counts.reduce((a, b) => a + b, 0) }
    }
    return out
  }
}
