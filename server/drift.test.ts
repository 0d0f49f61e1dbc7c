import { describe, expect, it } from 'vitest'
import { binIndex, DriftMonitor, populationStabilityIndex } from './drift'

describe('population stability index', () => {
  it('is zero for identical distributions and matches a hand computation otherwise', () => {
    expect(populationStabilityIndex([0.25, 0.25, 0.5], [25, 25, 50])).toBeCloseTo(0, 12)
    // (0.5-0.25)ln(2) + (0.25-0.25)ln(1) + (0.25-0.5)ln(0.5) = 0.5 ln 2
    expect(populationStabilityIndex([0.25, 0.25, 0.5], [2, 1, 1])).toBeCloseTo(0.5 * Math.log(2), 12)
  })

  it('bins values, clamping those outside the edges', () => {
    const edges = [0, 1, 2, 3]
    expect([-5, 0, 0.99, 1, 2.5, 3, 99].map((v) => binIndex(edges, v))).toEqual([0, 0, 0, 1, 2, 2, 2])
  })

  it('reports a large PSI once inputs leave the uploaded range', () => {
    const monitor = new DriftMonitor({ input: { edges: [0, 0.5, 1], fractions: [0.5, 0.5] } })
    monitor.observe('input', new Float32Array([0.1, 0.2, 0.7, 0.8]))
    expect(monitor.report()['input']).toEqual({ psi: 0, samples: 4 })
    monitor.observe('input', new Float32Array(100).fill(0.9))
    expect(monitor.report()['input']!.psi).toBeGreaterThan(0.25)
  })
})
