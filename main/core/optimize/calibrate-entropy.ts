// Entropy calibration (KL divergence, as TensorRT and ONNX Runtime's tool do it): try each clipping
// threshold over the |x| histogram, requantize the clipped distribution into 128 levels, and keep the
// threshold whose quantized distribution diverges least from the original.
import type { AbsHistogram } from './calibrate-histogram'

export const QUANTIZED_BINS = 128

function klDivergence(p: Float64Array, q: Float64Array): number {
  let pSum = 0
  let qSum = 0
  for (let i = 0; i < p.length; i++) {
    pSum += p[i] as number
    qSum += q[i] as number
  }
  if (pSum === 0 || qSum === 0) return Number.POSITIVE_INFINITY
  let kl = 0
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] as number) / pSum
    if (pi === 0) continue
    const qi = (q[i] as number) / qSum
    kl += qi === 0 ? pi * 20 : pi * Math.log(pi / qi)
  }
  return kl
}

/** The |x| clipping threshold minimising KL(P || Q); `stride` skips candidate thresholds for speed. */
export function entropyThreshold(histogram: AbsHistogram, quantizedBins = QUANTIZED_BINS, stride = 4): number {
  // A ReLU output is mostly exact zeros. That spike in the first bin, which every threshold represents
  // exactly, outweighs the rest of the distribution and drives the search to clip hard (digits_cnn's
  // first conv kept 10.6 dB): it is flattened to its neighbour's count, as NVIDIA's calibrator does.
  const counts = Float64Array.from(histogram.counts)
  if (counts.length > 1) counts[0] = Math.min(counts[0] as number, counts[1] as number)
  const bins = counts.length
  if (counts.reduce((a, b) => a + b, 0) === 0) return 0
  let best = bins
  let bestKl = Number.POSITIVE_INFINITY
  for (let i = quantizedBins; i <= bins; i += stride) {
    const p = new Float64Array(i)
    p.set(counts.subarray(0, i))
    let outliers = 0
    for (let j = i; j < bins; j++) outliers += counts[j] as number
    p[i - 1]! += outliers
    // Merge the i bins (outliers not included) into quantizedBins levels, then spread each level back
    // over its non-empty bins; clipping shows as the outlier mass P has in its last bin and Q lacks.
    const q = new Float64Array(i)
    const perLevel = i / quantizedBins
    for (let level = 0; level < quantizedBins; level++) {
      const start = Math.floor(level * perLevel)
      const end = level === quantizedBins - 1 ? i : Math.floor((level + 1) * perLevel)
      let sum = 0
      let nonEmpty = 0
      for (let j = start; j < end; j++) {
        sum += counts[j] as number
        if ((p[j] as number) > 0) nonEmpty++
      }
      if (nonEmpty === 0) continue
      for (let j = start; j < end; j++) if ((p[j] as number) > 0) q[j] = sum / nonEmpty
    }
    const kl = klDivergence(p, q)
    if (kl < bestKl) {
      bestKl = kl
      best = i
    }
  }
  return best * histogram.binWidth
}
