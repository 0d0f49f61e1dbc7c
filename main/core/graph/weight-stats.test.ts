import { describe, expect, it } from 'vitest'
import { histogramBins, weightStats } from './weight-stats'

describe('weightStats', () => {
  it('gives range, moments, sparsity and a histogram that counts every value', () => {
    const s = weightStats(Float32Array.from([0, 0, 1, 2, 3, -4, Number.NaN]), [7], 'float32')
    expect(s).toMatchObject({ count: 6, min: -4, max: 3, sparsity: 2 / 6 })
    expect(s.mean).toBeCloseTo(2 / 6)
    expect(s.std).toBeCloseTo(Math.sqrt((0 + 0 + 1 + 4 + 9 + 16) / 6 - (2 / 6) ** 2))
    expect(s.histogram).toHaveLength(histogramBins)
    expect(s.histogram.reduce((a, b) => a + b, 0)).toBe(6)
    expect(s.histogram[0]).toBe(1)
    expect(s.histogram[histogramBins - 1]).toBe(1)
  })

  it('puts a constant tensor in one bin and reads int64 values', () => {
    const s = weightStats(BigInt64Array.from([5n, 5n]), [2], 'int64')
    expect(s).toMatchObject({ min: 5, max: 5, mean: 5, std: 0, sparsity: 0 })
    expect(s.histogram[0]).toBe(2)
  })
})
