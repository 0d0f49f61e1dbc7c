import { describe, expect, it } from 'vitest'
import type { TuneCandidate } from './api'
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
})
