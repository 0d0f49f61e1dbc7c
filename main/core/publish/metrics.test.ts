// Live metrics from Prometheus text: counters summed over versions, rates and quantiles between samples.
import { describe, expect, it } from 'vitest'
import { quantileOf, sampleOf, windowBetween } from './metrics'

const text = (ok: number, failed: number, buckets: [string, number][]): string =>
  [
    '# HELP nv_inference_request_success Successful inference requests',
    `nv_inference_request_success{model="m",version="1"} ${ok - 1}`,
    'nv_inference_request_success{model="m",version="2"} 1',
    `nv_inference_request_success{model="other",version="1"} 999`,
    `nv_inference_request_failure{model="m",version="1",reason="BACKEND"} ${failed}`,
    ...buckets.map(([le, n]) => `slipway_inference_request_duration_ms_bucket{le="${le}",model="m",version="1"} ${n}`),
  ].join('\n')

describe('metrics', () => {
  it('sums a model over its versions and ignores other models', () => {
    const sample = sampleOf(text(10, 2, [['1', 4], ['+Inf', 10]]), 'm', 0)
    expect(sample.success).toBe(10)
    expect(sample.failure).toBe(2)
    expect(sample.buckets.get(Infinity)).toBe(10)
  })

  it('interpolates quantiles inside buckets', () => {
    const buckets = new Map([[1, 50], [2, 100], [Infinity, 100]])
    expect(quantileOf(buckets, 0.5)).toBe(1)
    expect(quantileOf(buckets, 0.75)).toBe(1.5)
    expect(quantileOf(new Map(), 0.5)).toBeNull()
  })

  it('gives rates and latency of the window between two samples', () => {
    const a = sampleOf(text(10, 0, [['1', 10], ['5', 10], ['+Inf', 10]]), 'm', 1000)
    const b = sampleOf(text(30, 4, [['1', 10], ['5', 30], ['+Inf', 30]]), 'm', 3000)
    const window = windowBetween(a, b)
    expect(window.requestRate).toBe(10)
    expect(window.errorRate).toBe(2)
    expect(window.p50Ms).toBe(3)
    expect(windowBetween(undefined, b).requestRate).toBeNull()
  })
})
