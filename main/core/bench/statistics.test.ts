import { describe, expect, it } from 'vitest'
import { seededRandom as random } from './random-inputs'
import {
  coefficientOfVariation,
  histogram,
  isStable,
  mean,
  noiseWarning,
  pairedRatio,
  percentile,
  quantileEstimate,
  quantileRanks,
  rankSumZ,
  relativeSpread,
  sortedCopy,
  stdDev,
  summarize,
} from './statistics'

describe('percentile', () => {
  it('interpolates linearly between closest ranks, as NumPy does', () => {
    // numpy.percentile([1, 2, 3, 4], [50, 90, 99]) = [2.5, 3.7, 3.97]
    expect(percentile([4, 1, 3, 2], 0.5)).toBeCloseTo(2.5, 12)
    expect(percentile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12)
    expect(percentile([4, 1, 3, 2], 0.99)).toBeCloseTo(3.97, 12)
  })
  it('gives the middle value of an odd count and the ends at 0 and 1', () => {
    expect(percentile([5, 1, 9], 0.5)).toBe(5)
    expect(percentile([5, 1, 9], 0)).toBe(1)
    expect(percentile([5, 1, 9], 1)).toBe(9)
  })
  it('sorts numerically, not as strings', () => {
    expect(percentile([10, 9, 100], 0.5)).toBe(10)
  })
  it('is NaN for no values', () => {
    expect(percentile([], 0.5)).toBeNaN()
  })
})

describe('mean, standard deviation and CV', () => {
  it('matches hand-computed values', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9]
    expect(mean(values)).toBe(5)
    // Sample variance: sum of squared deviations 32 over n-1 = 7.
    expect(stdDev(values)).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(coefficientOfVariation(values)).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12)
  })
  it('is 0 for constant samples and for a single sample', () => {
    expect(coefficientOfVariation([3, 3, 3])).toBe(0)
    expect(stdDev([3])).toBe(0)
  })
})

describe('summarize', () => {
  it('reports every statistic of 1..100', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    const s = summarize(values)
    expect(s).toMatchObject({ min: 1, max: 100, mean: 50.5, count: 100 })
    expect(s.p50).toBeCloseTo(50.5, 12)
    expect(s.p90).toBeCloseTo(90.1, 12)
    expect(s.p95).toBeCloseTo(95.05, 12)
    expect(s.p99).toBeCloseTo(99.01, 12)
  })
})

describe('histogram and noise', () => {
  it('counts every sample once, the maximum in the last bin', () => {
    const h = histogram([0, 1, 2, 3, 4], 4)
    expect(h).toEqual({ start: 0, binWidth: 1, counts: [1, 1, 1, 2] })
  })
  it('warns only above the CV threshold', () => {
    expect(noiseWarning({ cv: 0.05 })).toBeUndefined()
    expect(noiseWarning({ cv: 0.3 })).toMatch(/30%/)
  })
})

describe('confidence interval of a quantile', () => {
  it('gives the ranks of the published tables for the median', () => {
    // Conover, Practical Nonparametric Statistics: n = 100 → x(40), x(61); n = 6 → min and max (96.9%).
    expect(quantileRanks(100, 0.5)).toEqual({ low: 40, high: 61 })
    expect(quantileRanks(6, 0.5)).toEqual({ low: 1, high: 6 })
    expect(quantileRanks(5, 0.5)).toBeUndefined()
  })

  it('needs more samples for a tail quantile: p99 has no 95% interval from 100 runs', () => {
    expect(quantileRanks(100, 0.99)).toBeUndefined()
    const ranks = quantileRanks(1000, 0.99)
    expect(ranks?.low).toBeLessThan(990)
    expect(ranks?.high).toBeGreaterThan(990)
  })

  it('covers the true median about 95% of the time on skewed, preempted latencies', () => {
    const next = random(7)
    // Log-normal around 1 ms (true median 1) with 5% of runs hit by a 10 ms preemption.
    const sample = (): number => Math.exp(0.3 * Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next())) + (next() < 0.05 ? 10 : 0)
    let covered = 0
    const trials = 400
    for (let t = 0; t < trials; t++) {
      const e = quantileEstimate(sortedCopy(Array.from({ length: 60 }, sample)), 0.5)
      if (e && e.low <= 1.0 && 1.0 <= e.high) covered++
    }
    // The true median shifts a little above 1 with the preemptions; coverage stays near or above 95%.
    expect(covered / trials).toBeGreaterThan(0.9)
  })

  it('narrows as runs accumulate, which is what the adaptive stop waits for', () => {
    const next = random(3)
    const draw = (n: number): number[] => Array.from({ length: n }, () => 1 + 0.2 * next())
    const few = quantileEstimate(sortedCopy(draw(20)), 0.5)
    const many = quantileEstimate(sortedCopy(draw(2000)), 0.5)
    expect(few && many && relativeSpread(many) < relativeSpread(few)).toBe(true)
    expect(isStable([many], 0.02)).toBe(true)
    expect(isStable([many, undefined], 0.02)).toBe(false)
  })
})

describe('paired ratio', () => {
  it('cancels a slow phase that hits both models alike', () => {
    // b is 25% slower than a run for run, while the machine's speed swings by 3×.
    const phase = Array.from({ length: 200 }, (_, i) => (i % 50 < 25 ? 1 : 3))
    const a = phase.map((p) => p * 0.8)
    const b = phase.map((p) => p * 1.0)
    const paired = pairedRatio(a, b)
    expect(paired?.value).toBeCloseTo(0.8, 9)
    expect(paired && relativeSpread(paired)).toBeLessThan(1e-9)
    // Unpaired, the medians' intervals overlap widely: the swing hides the difference.
    const ea = quantileEstimate(sortedCopy(a), 0.5)
    const eb = quantileEstimate(sortedCopy(b), 0.5)
    expect(ea && eb && ea.high >= eb.low).toBe(true)
  })

  it('contains 1 for two copies of the same timing distribution', () => {
    const next = random(11)
    const draw = (): number => 1 + next() * 0.1
    const a = Array.from({ length: 300 }, draw)
    const b = Array.from({ length: 300 }, draw)
    const paired = pairedRatio(a, b)
    expect(paired && paired.low <= 1 && 1 <= paired.high).toBe(true)
  })
})

describe('rankSumZ', () => {
  it('is the Mann–Whitney z score: U = 0 for fully separated samples of 5 and 5 gives z = -12.5 / sqrt(275 / 12)', () => {
    expect(rankSumZ([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(-12.5 / Math.sqrt(275 / 12), 12)
    expect(rankSumZ([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])).toBeCloseTo(12.5 / Math.sqrt(275 / 12), 12)
  })
  it('gives ties their average rank, and is 0 when the samples cannot be told apart', () => {
    expect(rankSumZ([1, 1, 1], [1, 1, 1])).toBe(0)
    expect(rankSumZ([1, 2], [2, 1])).toBe(0)
  })
  it('counts an outlier as one more slow run, however slow: 10 runs against 10 with one preempted stay apart', () => {
    const slow = [4, 4.1, 4.2, 4.05, 4.15, 4.12, 4.3, 4.01, 4.22, 4.18]
    const fast = [1, 1.1, 1.05, 1.2, 1.15, 1.12, 1.3, 1.01, 1.22, 1000]
    // U = 90 of 100 pairs: z = (90 − 50) / sqrt(100 · 21 / 12).
    expect(rankSumZ(slow, fast)).toBeCloseTo(40 / Math.sqrt(175), 12)
  })
})
