// Statistics of one stored weight for the graph view's node panel: range, mean, spread, share of zeros and
// a histogram over the range. One pass for the moments, one for the bins; NaNs are left out.
import type { WeightStats } from '../../../preload/api-graph'

export const histogramBins = 32

export function weightStats(values: ArrayLike<number | bigint>, shape: readonly number[], dtype: string): WeightStats {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let sum = 0
  let sumSq = 0
  let zeros = 0
  let count = 0
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i])
    if (Number.isNaN(v)) continue
    count++
    if (v < min) min = v
    if (v > max) max = v
    sum += v
    sumSq += v * v
    if (v === 0) zeros++
  }
  const histogram = new Array<number>(histogramBins).fill(0)
  if (count === 0) return { shape, dtype, count: 0, min: 0, max: 0, mean: 0, std: 0, sparsity: 0, histogram }
  const mean = sum / count
  const width = (max - min) / histogramBins
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i])
    if (Number.isNaN(v)) continue
    const bin = width > 0 ? Math.min(histogramBins - 1, Math.floor((v - min) / width)) : 0
    histogram[bin] = (histogram[bin] as number) + 1
  }
  return { shape, dtype, count, min, max, mean, std: Math.sqrt(Math.max(0, sumSq / count - mean * mean)), sparsity: zeros / count, histogram }
}
