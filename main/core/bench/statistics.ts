// Latency statistics over raw samples: pure functions, tested directly.
import type { Estimate } from '../../../preload/api'

export interface LatencySummary {
  readonly mean: number
  readonly min: number
  readonly max: number
  readonly p50: number
  readonly p90: number
  readonly p95: number
  readonly p99: number
  readonly stdDev: number
  /** Coefficient of variation: standard deviation over mean (0 when the mean is 0). */
  readonly cv: number
  readonly count: number
}

/** Ascending copy, as a Float64Array so that numbers sort numerically. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort()
}

/**
 * The q-quantile (q in 0..1) of ascending values, interpolating linearly between closest ranks (the
 * method NumPy and Excel's PERCENTILE.INC use), so p50 of an even count is the mean of the middle two.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  if (q <= 0) return sorted[0] as number
  if (q >= 1) return sorted[n - 1] as number
  const rank = q * (n - 1)
  const low = Math.floor(rank)
  const high = Math.min(low + 1, n - 1)
  const lowValue = sorted[low] as number
  return lowValue + (rank - low) * ((sorted[high] as number) - lowValue)
}

export function percentile(values: ArrayLike<number>, q: number): number {
  return percentileOfSorted(sortedCopy(values), q)
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i] as number
  return sum / values.length
}

/** Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
export function stdDev(values: ArrayLike<number>): number {
  const n = values.length
  if (n < 2) return 0
  const m = mean(values)
  let sum = 0
  for (let i = 0; i < n; i++) sum += ((values[i] as number) - m) ** 2
  return Math.sqrt(sum / (n - 1))
}

export function coefficientOfVariation(values: ArrayLike<number>): number {
  const m = mean(values)
  return m === 0 || Number.isNaN(m) ? 0 : stdDev(values) / m
}

export function summarize(values: ArrayLike<number>): LatencySummary {
  const sorted = sortedCopy(values)
  const n = sorted.length
  return {
    mean: mean(sorted),
    min: n ? (sorted[0] as number) : Number.NaN,
    max: n ? (sorted[n - 1] as number) : Number.NaN,
    p50: percentileOfSorted(sorted, 0.5),
    p90: percentileOfSorted(sorted, 0.9),
    p95: percentileOfSorted(sorted, 0.95),
    p99: percentileOfSorted(sorted, 0.99),
    stdDev: stdDev(sorted),
    cv: coefficientOfVariation(sorted),
    count: n,
  }
}

export interface Histogram {
  /** Lower edge of the first bin and width of every bin, in the samples' unit. */
  readonly start: number
  readonly binWidth: number
  readonly counts: readonly number[]
}

/** Equal-width bins from min to max, for plotting a latency distribution without shipping every sample. */
export function histogram(values: ArrayLike<number>, bins = 40): Histogram {
  const sorted = sortedCopy(values)
  const n = sorted.length
  if (n === 0) return { start: 0, binWidth: 0, counts: [] }
  const start = sorted[0] as number
  const span = (sorted[n - 1] as number) - start
  if (span === 0) return { start, binWidth: 0, counts: [n] }
  const binWidth = span / bins
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < n; i++) {
    const bin = Math.min(bins - 1, Math.floor(((sorted[i] as number) - start) / binWidth))
    counts[bin] = (counts[bin] as number) + 1
  }
  return { start, binWidth, counts }
}

/** Runs whose latencies vary more than this are flagged: the machine was too busy for a fair number. */
export const noisyCvThreshold = 0.1

/** A warning when the run was noisy, or undefined. */
export function noiseWarning(summary: Pick<LatencySummary, 'cv'>, threshold = noisyCvThreshold): string | undefined {
  if (summary.cv <= threshold) return undefined
  return `latency varied by ${(summary.cv * 100).toFixed(0)}% (coefficient of variation above ${(threshold * 100).toFixed(0)}%): the machine was busy or throttling; close other work and run again for a fair number`
}

/** Confidence level of every interval Slipway shows. */
export const confidenceLevel = 0.95

/**
 * 1-based ranks (l, u) such that [x(l), x(u)] covers the q-quantile of the population with probability
 * ≥ confidence, from the binomial distribution of how many of n samples fall below it (distribution-free,
 * so a skewed latency distribution or a few preempted runs do not bias it). undefined when n is too small
 * for that confidence (a 95% interval on the median needs 6 samples).
 */
export function quantileRanks(n: number, q: number, confidence = confidenceLevel): { readonly low: number; readonly high: number } | undefined {
  if (n < 1 || !(q > 0 && q < 1)) return undefined
  const tail = (1 - confidence) / 2
  // P(B ≤ k) for B ~ Binomial(n, q), built term by term in log space so that large n does not underflow.
  const logQ = Math.log(q)
  const logP = Math.log1p(-q)
  let logPmf = n * logP
  let cdf = 0
  let below = -1
  let above = -1
  for (let k = 0; k <= n; k++) {
    if (k > 0) logPmf += Math.log((n - k + 1) / k) + logQ - logP
    cdf += Math.exp(logPmf)
    if (cdf <= tail) below = k
    if (cdf >= 1 - tail) {
      above = k
      break
    }
  }
  // Coverage of [x(below + 1), x(above + 1)] is P(below < B ≤ above) ≥ 1 − 2·tail.
  if (below < 0 || above < 0 || above + 1 > n) return undefined
  return { low: below + 1, high: above + 1 }
}

/** The q-quantile of ascending values with its distribution-free confidence interval; undefined when too few. */
export function quantileEstimate(sorted: ArrayLike<number>, q: number, confidence = confidenceLevel): Estimate | undefined {
  const ranks = quantileRanks(sorted.length, q, confidence)
  if (!ranks) return undefined
  return { value: percentileOfSorted(sorted, q), low: sorted[ranks.low - 1] as number, high: sorted[ranks.high - 1] as number }
}

/** The larger distance from the value to an end of its interval, over the value: 0.02 reads "± 2%", as shown. Infinity when the value is 0. */
export function relativeSpread(estimate: Estimate): number {
  return estimate.value === 0 ? Number.POSITIVE_INFINITY : Math.max(estimate.high - estimate.value, estimate.value - estimate.low) / Math.abs(estimate.value)
}

/**
 * The median of per-run ratios a[i] / b[i] of two models timed in alternation, with its interval: what
 * one run of a costs against the run of b next to it, so that slow phases of the machine hit both alike.
 */
export function pairedRatio(a: ArrayLike<number>, b: ArrayLike<number>, confidence = confidenceLevel): Estimate | undefined {
  const n = Math.min(a.length, b.length)
  const ratios = new Float64Array(n)
  for (let i = 0; i < n; i++) ratios[i] = (a[i] as number) / (b[i] as number)
  return quantileEstimate(ratios.sort(), 0.5, confidence)
}

/** The adaptive stop: every estimate's interval is within ± target of its value. */
export function isStable(estimates: readonly (Estimate | undefined)[], target: number): boolean {
  return estimates.every((e) => e !== undefined && relativeSpread(e) <= target)
}

/** The mean with its 95% interval (normal approximation: the run counts measured are large). */
export function meanEstimate(values: ArrayLike<number>): Estimate | undefined {
  if (values.length < 2) return undefined
  const m = mean(values)
  const half = (1.959964 * stdDev(values)) / Math.sqrt(values.length)
  return { value: m, low: m - half, high: m + half }
}

/** The median's interval is narrow enough: relative half-width ≤ target (and a target of 0 never is). */
export function medianIsStable(samples: ArrayLike<number>, target: number): boolean {
  return target > 0 && isStable([quantileEstimate(sortedCopy(samples), 0.5)], target)
}

/**
 * The Mann–Whitney rank-sum test of two samples as a z score (normal approximation, average ranks for
 * ties, no tie correction: a little conservative): positive when `a` tends to be larger than `b`. Unlike a
 * test on means, one outlier (a run the machine preempted) counts as one more large value, however large.
 */
export function rankSumZ(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return 0
  const all = [...Array.from(a, (value) => ({ value, fromA: true })), ...Array.from(b, (value) => ({ value, fromA: false }))].sort((x, y) => x.value - y.value)
  let rankSumA = 0
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j + 1 < all.length && all[j + 1]?.value === all[i]?.value) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) if (all[k]?.fromA) rankSumA += rank
    i = j + 1
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2
  return (u - (n1 * n2) / 2) / Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12)
}
