// Numbers the tuner reads off a benchmark result: the median's uncertainty and the objective's value.
import type { BenchmarkResult, TuneCandidate, TuneObjective } from '../../../preload/api'

/**
 * Half width of a distribution-free 95% confidence interval of the median, from the result's latency
 * histogram: the order statistics at ranks n/2 ± 0.98·√n (the binomial interval), read off the
 * cumulative counts with linear interpolation inside a bin.
 */
export function medianHalfWidth(result: Pick<BenchmarkResult, 'histogram'>): number {
  const { counts, startMs, binWidthMs } = result.histogram
  const n = counts.reduce((a, b) => a + b, 0)
  if (n < 2 || binWidthMs === 0) return 0
  const spread = 0.98 * Math.sqrt(n)
  const valueAtRank = (rank: number): number => {
    const target = Math.min(n, Math.max(0, rank))
    let seen = 0
    for (const [i, c] of counts.entries()) {
      if (seen + c >= target && c > 0) return startMs + (i + (target - seen) / c) * binWidthMs
      seen += c
    }
    return startMs + counts.length * binWidthMs
  }
  const low = valueAtRank(n / 2 - spread)
  const high = valueAtRank(n / 2 + spread)
  return Math.max(0, (high - low) / 2)
}

/** The objective's value for a measured candidate: p50 latency, bytes on disk, or samples per second. */
export function objectiveValue(objective: TuneObjective, measured: Pick<TuneCandidate, 'p50Ms' | 'sizeBytes' | 'samplesPerSec'>): number | undefined {
  return objective === 'latency' ? measured.p50Ms : objective === 'size' ? measured.sizeBytes : measured.samplesPerSec
}

/** Whether `value` beats `reference` on the objective beyond the uncertainty of both (size is exact). */
export function clearlyBetter(objective: TuneObjective, value: number, reference: number, halfWidth = 0, referenceHalfWidth = 0): boolean {
  return objective === 'throughput' ? value - halfWidth > reference + referenceHalfWidth : value + halfWidth < reference - referenceHalfWidth
}

/** Quality lost against the baseline in points: the accuracy drop, or top-1 disagreement without labels. */
export function qualityDrop(measured: Pick<TuneCandidate, 'accuracyDropPoints' | 'top1Agreement'>): number | undefined {
  if (measured.accuracyDropPoints !== undefined) return measured.accuracyDropPoints
  return measured.top1Agreement === undefined ? undefined : (1 - measured.top1Agreement) * 100
}
