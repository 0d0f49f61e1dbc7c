// Percentile calibration: the activation range ends at the |x| below which `percentile` % of the
// calibration values fall, so rare outliers do not stretch the int8 grid (default 99.999, as ONNX
// Runtime's tool).
import type { AbsHistogram } from './calibrate-histogram'

export const DEFAULT_PERCENTILE = 99.999

/** The |x| threshold at the percentile (upper edge of the bin where the cumulative count reaches it). */
export function percentileThreshold(histogram: AbsHistogram, percentile = DEFAULT_PERCENTILE): number {
  const total = histogram.counts.reduce((a, b) => a + b, 0)
  if (total === 0) return 0
  const target = (total * percentile) / 100
  let cumulative = 0
  for (let i = 0; i < histogram.counts.length; i++) {
    cumulative += histogram.counts[i] as number
    if (cumulative >= target) return (i + 1) * histogram.binWidth
  }
  return histogram.limit
}
