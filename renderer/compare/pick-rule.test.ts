import { describe, expect, it } from 'vitest'
import type { ModelMetrics } from './metrics'
import { applyPickRule, defaultPickRule, describeRule } from './pick-rule'

function row(id: string, fields: Partial<ModelMetrics>): ModelMetrics {
  return {
    id,
    name: id,
    recipe: id === 'base' ? 'baseline' : 'x',
    isBaseline: id === 'base',
    sizeBytes: 1000,
    parameters: 10,
    p50Ms: undefined,
    p99Ms: undefined,
    throughput: undefined,
    memoryBytes: undefined,
    accuracy: undefined,
    accuracyDrop: undefined,
    agreement: undefined,
    sqnrDb: undefined,
    ...fields,
  }
}

const rows = [
  row('base', { p50Ms: 1.0, accuracy: 0.98, accuracyDrop: 0, throughput: 900 }),
  row('int8', { p50Ms: 0.5, accuracy: 0.975, accuracyDrop: 0.5, throughput: 1800, sizeBytes: 300 }),
  row('pruned', { p50Ms: 0.3, accuracy: 0.9, accuracyDrop: 8, throughput: 3000, sizeBytes: 600 }),
]

describe('pick rule', () => {
  it('picks the fastest within the accuracy budget, not the fastest overall', () => {
    const pick = applyPickRule(rows, defaultPickRule)
    expect(pick.winnerId).toBe('int8')
    expect(pick.eligibleIds).toEqual(['base', 'int8'])
    expect(describeRule(defaultPickRule)).toBe('fastest (p50) with accuracy drop ≤ 1%')
  })

  it('follows the edited rule: a looser budget, another objective, a size cap', () => {
    expect(applyPickRule(rows, { ...defaultPickRule, maxAccuracyDrop: 10 }).winnerId).toBe('pruned')
    expect(applyPickRule(rows, { objective: 'sizeBytes', maxAccuracyDrop: null, maxSizeBytes: null }).winnerId).toBe('int8')
    expect(applyPickRule(rows, { objective: 'throughput', maxAccuracyDrop: 10, maxSizeBytes: 500 }).winnerId).toBe('int8')
  })

  it('uses top-1 disagreement when there are no labels, and says why nothing won', () => {
    const unlabelled = [row('base', { p50Ms: 1 }), row('v', { p50Ms: 0.5, agreement: 0.995 }), row('w', { p50Ms: 0.4, agreement: 0.95 })]
    expect(applyPickRule(unlabelled, defaultPickRule).winnerId).toBe('v')
    const none = applyPickRule([row('base', {}), row('v', {})], defaultPickRule)
    expect(none.winnerId).toBeNull()
    expect(none.reason).toContain('run a benchmark')
  })
})
