// How sure an accuracy measured on n labelled samples is: pure functions, tested directly. A drop between
// two models is measured on the same samples, so its interval comes from the paired (matched) outcomes,
// which is much narrower than two independent intervals would suggest.
import type { Estimate } from '../../../preload/api'

const Z95 = 1.959963984540054

/** Accuracy k/n with Wilson's 95% score interval: sound near 0 and 1 and for small n, unlike k/n ± z·SE. */
export function wilsonInterval(correct: number, n: number): Estimate {
  if (n === 0) return { value: Number.NaN, low: 0, high: 1 }
  const p = correct / n
  const z2 = Z95 * Z95
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}

/** Counts of the matched outcomes that differ: samples only the first model gets right, and only the second. */
export interface DiscordantCounts {
  readonly onlyFirst: number
  readonly onlySecond: number
  readonly samples: number
}

/**
 * First accuracy minus the second's on the same samples, with a 95% interval (Agresti and Min 2005: half a
 * sample added to each cell of the 2×2 table, then the Wald interval of a difference of matched proportions).
 * The adjustment keeps the interval from collapsing to zero width when the models disagree on no sample.
 */
export function pairedDifferenceInterval({ onlyFirst, onlySecond, samples }: DiscordantCounts): Estimate {
  if (samples === 0) return { value: Number.NaN, low: -1, high: 1 }
  const value = (onlyFirst - onlySecond) / samples
  const n = samples + 2
  const b = onlyFirst + 0.5
  const c = onlySecond + 0.5
  const shifted = (b - c) / n
  const half = (Z95 / n) * Math.sqrt(b + c - (b - c) ** 2 / n)
  return { value, low: Math.max(-1, shifted - half), high: Math.min(1, shifted + half) }
}

/** Which samples each model gets right (1) or wrong (0), from its predicted and the true classes. */
export function correctness(predicted: ArrayLike<number>, labels: ArrayLike<number | bigint>): Uint8Array {
  const right = new Uint8Array(predicted.length)
  for (let s = 0; s < predicted.length; s++) right[s] = predicted[s] === Number(labels[s]) ? 1 : 0
  return right
}

export function discordantCounts(first: Uint8Array, second: Uint8Array): DiscordantCounts {
  if (first.length !== second.length) throw new Error(`paired outcomes of ${first.length} and ${second.length} samples`)
  let onlyFirst = 0
  let onlySecond = 0
  for (let s = 0; s < first.length; s++) {
    if (first[s] && !second[s]) onlyFirst++
    else if (!first[s] && second[s]) onlySecond++
  }
  return { onlyFirst, onlySecond, samples: first.length }
}

export function countCorrect(right: Uint8Array): number {
  let k = 0
  for (const r of right) k += r
  return k
}
