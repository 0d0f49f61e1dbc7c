import { describe, expect, it } from 'vitest'
import { entropyThreshold } from './calibrate-entropy'
import { AbsHistogram, RangeAccumulator } from './calibrate-histogram'
import { percentileThreshold } from './calibrate-percentile'
import { seededRandom } from '../bench/random-inputs'

/** 100,000 values of a bell curve with sd ≈ 0.5 plus one outlier at 10. */
function sample(): Float32Array {
  const random = seededRandom(3)
  const d = new Float32Array(100000)
  for (let i = 0; i < d.length; i++) d[i] = random() + random() + random() - 1.5
  d[0] = 10
  return d
}

describe('calibration methods', () => {
  const data = sample()
  const range = new RangeAccumulator()
  range.add(data)
  const histogram = new AbsHistogram(range.absMax)
  histogram.add(data)

  it('min-max covers the outlier', () => {
    expect(range.max).toBe(10)
    expect(range.min).toBeGreaterThan(-1.5)
  })

  it('percentile and entropy clip it', () => {
    const p = percentileThreshold(histogram, 99.9)
    expect(p).toBeGreaterThan(1.2)
    expect(p).toBeLessThan(1.5)
    expect(percentileThreshold(histogram, 100)).toBeCloseTo(10, 1)
    const e = entropyThreshold(histogram)
    expect(e).toBeGreaterThan(0.8)
    expect(e).toBeLessThan(2)
  })

  it('entropy is not pulled down by the spike of exact zeros a ReLU output has', () => {
    const random = seededRandom(5)
    const relu = Float32Array.from({ length: 100000 }, (_, i) => (i % 5 === 0 ? random() : 0))
    const spiked = new AbsHistogram(1)
    spiked.add(relu)
    // 80% zeros and a uniform tail up to 1: clipping the tail would cost most of its information.
    expect(entropyThreshold(spiked)).toBeGreaterThan(0.9)
    expect(spiked.counts[0]).toBeGreaterThan(80000)
  })
})
