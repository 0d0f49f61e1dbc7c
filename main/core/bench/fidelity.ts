// How far a variant's outputs drift from the baseline's on the same inputs, and accuracy on labels.
// Pure functions over flat float arrays holding `samples` rows each.
import type { OutputFidelity } from '../../../preload/api'

export interface OutputPair {
  readonly output: string
  /** Rows of the baseline and the variant, samples × rowSize each, same order. */
  readonly baseline: ArrayLike<number>
  readonly variant: ArrayLike<number>
  readonly samples: number
  /** Whether rows are class scores (rank 2, ≥ 2 classes): adds top-k agreement and KL. */
  readonly classifier: boolean
}

export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)))
  return max
}

export function meanAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0) return 0
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number))
  return sum / a.length
}

/** Cosine similarity of two vectors (from..to); 1 when both are zero, 0 when only one is. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = from; i < to; i++) {
    const x = a[i] as number
    const y = b[i] as number
    dot += x * y
    na += x * x
    nb += y * y
  }
  if (na === 0 && nb === 0) return 1
  if (na === 0 || nb === 0) return 0
  return dot / Math.sqrt(na * nb)
}

/** Mean over rows of the per-row cosine similarity. */
export function meanRowCosine(a: ArrayLike<number>, b: ArrayLike<number>, samples: number): number {
  if (samples === 0) return 1
  const rowSize = a.length / samples
  let sum = 0
  for (let s = 0; s < samples; s++) sum += cosineSimilarity(a, b, s * rowSize, (s + 1) * rowSize)
  return sum / samples
}

/** Signal-to-quantization-noise ratio in dB: 10·log10(Σ ref² / Σ (ref − test)²); null when identical. */
export function sqnrDb(reference: ArrayLike<number>, test: ArrayLike<number>): number | null {
  let signal = 0
  let noise = 0
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] as number
    signal += r * r
    noise += (r - (test[i] as number)) ** 2
  }
  if (noise === 0) return null
  return 10 * Math.log10(signal / noise)
}

/** Indices of the k largest values of row `row` (ties: lower index first), largest first. */
export function topK(values: ArrayLike<number>, row: number, rowSize: number, k: number): number[] {
  const start = row * rowSize
  const best: number[] = []
  for (let i = 0; i < rowSize; i++) {
    const v = values[start + i] as number
    let at = best.length
    while (at > 0 && v > (values[start + (best[at - 1] as number)] as number)) at--
    if (at < k) {
      best.splice(at, 0, i)
      if (best.length > k) best.pop()
    }
  }
  return best
}

export function argmaxRows(values: ArrayLike<number>, samples: number): Int32Array {
  const rowSize = values.length / samples
  const out = new Int32Array(samples)
  for (let s = 0; s < samples; s++) out[s] = topK(values, s, rowSize, 1)[0] ?? 0
  return out
}

/** Share of rows whose baseline top-1 class is among the variant's top k (k = 1: the top-1 classes agree). */
export function topKAgreement(baseline: ArrayLike<number>, variant: ArrayLike<number>, samples: number, k: number): number {
  if (samples === 0) return 1
  const rowSize = baseline.length / samples
  let agree = 0
  for (let s = 0; s < samples; s++) {
    const top = topK(baseline, s, rowSize, 1)[0]
    if (topK(variant, s, rowSize, k).includes(top as number)) agree++
  }
  return agree / samples
}

/** Whether every row is already a probability distribution (non-negative, summing to 1). */
export function rowsAreProbabilities(values: ArrayLike<number>, samples: number): boolean {
  const rowSize = values.length / samples
  for (let s = 0; s < samples; s++) {
    let sum = 0
    for (let i = s * rowSize; i < (s + 1) * rowSize; i++) {
      const v = values[i] as number
      if (v < 0) return false
      sum += v
    }
    if (Math.abs(sum - 1) > 1e-3) return false
  }
  return true
}

/** Softmax of one row into `out`, subtracting the max for stability. */
export function softmaxRow(values: ArrayLike<number>, from: number, rowSize: number, out: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY
  for (let i = 0; i < rowSize; i++) max = Math.max(max, values[from + i] as number)
  let sum = 0
  for (let i = 0; i < rowSize; i++) {
    out[i] = Math.exp((values[from + i] as number) - max)
    sum += out[i] as number
  }
  for (let i = 0; i < rowSize; i++) out[i] = (out[i] as number) / sum
}

/**
 * Mean over rows of KL(p ‖ q) in nats, p from the baseline and q from the variant: softmax of logits, or
 * the rows as they are when both already are probabilities. A zero in q counts as 1e-12 so that the
 * divergence stays finite.
 */
export function meanSoftmaxKl(baseline: ArrayLike<number>, variant: ArrayLike<number>, samples: number): number {
  if (samples === 0) return 0
  const rowSize = baseline.length / samples
  const asIs = rowsAreProbabilities(baseline, samples) && rowsAreProbabilities(variant, samples)
  const p = new Float64Array(rowSize)
  const q = new Float64Array(rowSize)
  let total = 0
  for (let s = 0; s < samples; s++) {
    if (asIs) {
      for (let i = 0; i < rowSize; i++) {
        p[i] = baseline[s * rowSize + i] as number
        q[i] = variant[s * rowSize + i] as number
      }
    } else {
      softmaxRow(baseline, s * rowSize, rowSize, p)
      softmaxRow(variant, s * rowSize, rowSize, q)
    }
    let kl = 0
    for (let i = 0; i < rowSize; i++) {
      const pi = p[i] as number
      const qi = q[i] as number
      if (pi > 0) kl += pi * Math.log(pi / (qi > 0 ? qi : 1e-12))
    }
    // KL is never negative; rounding in the last bits can make a near-zero sum slightly so.
    total += Math.max(0, kl)
  }
  return total / samples
}

export function outputFidelity(pair: OutputPair): OutputFidelity {
  const { baseline, variant, samples } = pair
  if (baseline.length !== variant.length)
    throw new Error(`output '${pair.output}' has ${baseline.length} values in the baseline and ${variant.length} in the variant`)
  const rowSize = samples > 0 ? baseline.length / samples : 0
  const sqnr = sqnrDb(baseline, variant)
  return {
    output: pair.output,
    elements: baseline.length,
    maxAbsError: maxAbsError(baseline, variant),
    meanAbsError: meanAbsError(baseline, variant),
    cosine: meanRowCosine(baseline, variant, samples),
    sqnrDb: sqnr,
    ...(pair.classifier
      ? {
          top1Agreement: topKAgreement(baseline, variant, samples, 1),
          ...(rowSize >= 5 ? { top5Agreement: topKAgreement(baseline, variant, samples, 5) } : {}),
          klDivergence: meanSoftmaxKl(baseline, variant, samples),
        }
      : {}),
  }
}
