import { describe, expect, it } from 'vitest'
import type { TuneCandidate } from './api'
import { compareOn, type ModelMetrics } from './pick-rule'
import { tuneRows } from './tune-rows'

const candidate = (key: string, change: Partial<TuneCandidate>): TuneCandidate => ({ key, label: key, family: 'static', steps: [], status: 'done', ...change })

describe('tuneRows', () => {
  it('puts the model first and gives a point only to measured candidates, named as their variants are', () => {
    const rows = tuneRows({
      modelId: 'm',
      model: 'digits',
      baseline: { sizeBytes: 1000, p50Ms: 1, samplesPerSec: 1000, accuracy: 0.99 },
      candidates: [
        candidate('a', { modelId: 'va', p50Ms: 0.5, sizeBytes: 300, accuracyDropPoints: 0.4, top1Agreement: 0.99 }),
        candidate('b', { status: 'failed', modelId: 'vb', p50Ms: 0.4 }),
        candidate('c', { status: 'queued' }),
        candidate('d', { modelId: 'vd' }),
      ],
    })
    expect(rows.map((r) => [r.id, r.name, r.isBaseline])).toEqual([
      ['m', 'digits', true],
      ['va', 'digits · a', false],
    ])
    expect(rows[0]).toMatchObject({ accuracyDrop: 0, agreement: 1, p50Ms: 1, throughput: 1000 })
    expect(rows[1]).toMatchObject({ accuracyDrop: 0.4, agreement: 0.99, sizeBytes: 300, p50Ms: 0.5 })
  })
  it('gives each measured median its interval, so that the pick rule separates latencies only beyond it', () => {
    const rows = tuneRows({
      modelId: 'm',
      model: 'digits',
      baseline: { sizeBytes: 1000, p50Ms: 1, p50HalfWidthMs: 0.02 },
      candidates: [
        candidate('a', { modelId: 'va', p50Ms: 0.6, p50HalfWidthMs: 0.01, sizeBytes: 300 }),
        candidate('b', { modelId: 'vb', p50Ms: 0.61, sizeBytes: 300 }),
      ],
    })
    expect(rows.map((r) => r.intervals?.p50Ms)).toEqual([{ value: 1, low: 0.98, high: 1.02 }, { value: 0.6, low: 0.59, high: 0.61 }, undefined])
    // Apart from the model by more than both intervals: a verdict, not "uncertainty not measured".
    expect(compareOn(rows[1] as ModelMetrics, rows[0] as ModelMetrics, 'p50Ms')).toMatchObject({ basis: 'intervals', significant: true })
    expect(compareOn(rows[2] as ModelMetrics, rows[0] as ModelMetrics, 'p50Ms')).toMatchObject({ basis: 'unknown', significant: false })
  })
})
