import { describe, expect, it } from 'vitest'
import { sweetSpots } from './sweep'

function point(batch: number, threads: number, p95: number, samplesPerSec: number) {
  const latencyMs = { mean: p95, p50: p95, p90: p95, p95, p99: p95, min: p95, max: p95, stdDev: 0 }
  return { model: 'm', batch, threads, latencyMs, throughput: { inferencesPerSec: samplesPerSec / batch, samplesPerSec } }
}

describe('sweetSpots', () => {
  const grid = [point(1, 1, 2, 500), point(8, 1, 9, 900), point(32, 1, 30, 1100), point(8, 2, 6, 1300)]
  it('picks the best throughput whose p95 is within the cap', () => {
    expect(sweetSpots(grid, 10)).toEqual([{ model: 'm', latencyCapMs: 10, batch: 8, threads: 2, samplesPerSec: 1300, p95Ms: 6 }])
    expect(sweetSpots(grid, 5)[0]).toMatchObject({ batch: 1, threads: 1 })
  })
  it('picks the best overall without a cap, and says when nothing meets the cap', () => {
    expect(sweetSpots(grid)[0]).toMatchObject({ batch: 8, threads: 2 })
    expect(sweetSpots(grid, 1)[0]).toEqual({ model: 'm', latencyCapMs: 1, note: 'no configuration meets the cap: the lowest p95 was 2.000 ms' })
  })
})
