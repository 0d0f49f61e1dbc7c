import { describe, expect, it } from 'vitest'
import { coefficientOfVariation, histogram, mean, noiseWarning, percentile, rankSumZ, stdDev, summarize } from './statistics'

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
