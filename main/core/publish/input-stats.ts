// The distribution of each float input a version was checked on, in the shape the Slipway server takes
// (`inputStats`: bin edges and the share of values per bin), so it can report drift of live inputs (PSI).
import type { Feed } from '../data/load-tensors'
import { toFloats } from './oip'

export interface InputHistogram {
  readonly edges: number[]
  readonly fractions: number[]
}

const BINS = 10

export function histogramOf(values: ArrayLike<number>, bins = BINS): InputHistogram | undefined {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  if (!(max > min)) return undefined
  const width = (max - min) / bins
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width))
  const counts = new Array<number>(bins).fill(0)
  let total = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) continue
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]!++
    total++
  }
  return { edges, fractions: counts.map((c) => c / total) }
}

export function inputHistograms(feed: Feed): Record<string, InputHistogram> {
  const stats: Record<string, InputHistogram> = {}
  for (const [name, tensor] of Object.entries(feed)) {
    if (!tensor.dtype.startsWith('float')) continue
    const histogram = histogramOf(toFloats(tensor))
    if (histogram) stats[name] = histogram
  }
  return stats
}
