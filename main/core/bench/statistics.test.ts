import { describe, expect, it } from 'vitest'
import { coefficientOfVariation, histogram, mean, noiseWarning, percentile, stdDev, summarize } from './statistics'

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
