import { describe, expect, it } from 'vitest'
import type { Estimate } from './api'
import {
  compareOn,
  defaultPickRule,
  describeRule,
  dominatedIds,
  formatDropPoints,
  formatLatencyRatio,
  formatRatioEstimate,
  isDominatedBy,
  pickVariant,
  unpairedRatio,
  type PickCandidate,
} from './pick-rule'

function row(id: string, fields: Partial<PickCandidate>): PickCandidate {
  return {
    id,
    name: id,
    isBaseline: id === 'base',
    sizeBytes: 1000,
    p50Ms: undefined,
    p99Ms: undefined,
    throughput: undefined,
    memoryBytes: undefined,
    accuracy: undefined,
    accuracyDrop: undefined,
    agreement: undefined,
    ...fields,
  }
}

const around = (value: number, spread: number): Estimate => ({ value, low: value * (1 - spread), high: value * (1 + spread) })
/** A p50 measured with a ±spread interval. */
const p50 = (value: number, spread = 0.01): Partial<PickCandidate> => ({ p50Ms: value, intervals: { p50Ms: around(value, spread) } })

const rows = [
  row('base', { ...p50(1.0), accuracy: 0.98, accuracyDrop: 0, throughput: 900 }),
  row('int8', { ...p50(0.5), accuracy: 0.975, accuracyDrop: 0.5, throughput: 1800, sizeBytes: 300 }),
  row('pruned', { ...p50(0.3), accuracy: 0.9, accuracyDrop: 8, throughput: 3000, sizeBytes: 600 }),
]

describe('pick rule', () => {
  it('picks the fastest within the accuracy budget, beyond the uncertainty, with its margin over the runner-up', () => {
    const pick = pickVariant(rows, defaultPickRule)
    expect(pick).toMatchObject({ verdict: 'winner', winnerId: 'int8', runnerUpId: 'base', eligibleIds: ['int8', 'base'], tiedIds: ['int8'] })
    expect(pick.margins.objective).toMatchObject({ versusId: 'base', basis: 'intervals', significant: true })
    expect(pick.margins.objective?.ratio).toBeCloseTo(0.5, 9)
    expect(pick.margins.accuracyDropPoints).toBeCloseTo(0.5, 9)
    expect(pick.reason).toContain('int8 is the fastest (p50) with accuracy drop ≤ 1%')
    expect(describeRule(defaultPickRule)).toBe('fastest (p50) with accuracy drop ≤ 1%')
  })

  it('follows the edited rule: a looser budget, another objective, a size cap', () => {
    expect(pickVariant(rows, { ...defaultPickRule, maxAccuracyDrop: 10 }).winnerId).toBe('pruned')
    expect(pickVariant(rows, { objective: 'sizeBytes', maxAccuracyDrop: null, maxSizeBytes: null })).toMatchObject({ verdict: 'winner', winnerId: 'int8' })
    const throughput = rows.map((r) => ({ ...r, intervals: { ...r.intervals, throughput: around(r.throughput as number, 0.02) } }))
    expect(pickVariant(throughput, { objective: 'throughput', maxAccuracyDrop: 10, maxSizeBytes: 500 })).toMatchObject({ verdict: 'winner', winnerId: 'int8' })
  })

  it('calls no winner inside the noise, and breaks the tie by size, then accuracy', () => {
    // The case: 0.044 vs 0.046 ms with overlapping intervals is no difference.
    const noisy = [row('base', { ...p50(0.046, 0.3), agreement: 1 }), row('v', { ...p50(0.044, 0.3), agreement: 1, sizeBytes: 900 })]
    const pick = pickVariant(noisy, defaultPickRule)
    expect(pick).toMatchObject({ verdict: 'tie-break', winnerId: 'v', tiedIds: ['v', 'base'] })
    expect(pick.reason).toMatch(/^no significant difference in p50 latency between v and base .*; v is the smallest$/)
    // Equally small: the more accurate one.
    const sameSize = [row('base', { ...p50(0.046, 0.3), accuracy: 0.9, accuracyDrop: 0 }), row('v', { ...p50(0.044, 0.3), accuracy: 0.895, accuracyDrop: 0.5 })]
    expect(pickVariant(sameSize, defaultPickRule)).toMatchObject({ verdict: 'tie-break', winnerId: 'base' })
    // Equally small and accurate: no pick at all.
    const same = [row('base', { ...p50(0.046, 0.3), agreement: 1 }), row('v', { ...p50(0.044, 0.3), agreement: 1 })]
    expect(pickVariant(same, defaultPickRule)).toMatchObject({ verdict: 'no-difference', winnerId: null })
  })

  it('never calls a winner on a latency whose uncertainty was not measured', () => {
    const bare = [row('base', { p50Ms: 1, agreement: 1 }), row('v', { p50Ms: 0.5, agreement: 1 })]
    const pick = pickVariant(bare, defaultPickRule)
    expect(pick.verdict).toBe('no-difference')
    expect(pick.reason).toContain('uncertainty not measured')
  })

  it('trusts paired runs over each model’s own interval, and needs at least a 1% effect', () => {
    // Each model's interval is wide (a busy machine), but run for run v takes 0.9 of base.
    const paired = [row('base', { ...p50(1, 0.2), agreement: 1 }), row('v', { ...p50(0.9, 0.2), agreement: 1, pairedP50: { base: { value: 0.9, low: 0.88, high: 0.92 } } })]
    expect(pickVariant(paired, defaultPickRule)).toMatchObject({ verdict: 'winner', winnerId: 'v', margins: { objective: { basis: 'paired', ratio: 0.9 } } })
    // Read from the other side, the same pair gives the inverse ratio.
    expect(compareOn(paired[0] as PickCandidate, paired[1] as PickCandidate, 'p50Ms')).toMatchObject({ basis: 'paired', significant: false })
    const tiny = [row('base', { ...p50(1, 0.2), agreement: 1 }), row('v', { ...p50(0.995, 0.2), agreement: 1, pairedP50: { base: { value: 0.995, low: 0.994, high: 0.996 } } })]
    expect(pickVariant(tiny, defaultPickRule).verdict).toBe('no-difference')
  })

  it('is pending, never a winner, while a limit is unmeasured for a model that could win', () => {
    const unmeasured = [row('base', p50(1)), row('v', { ...p50(0.5), sizeBytes: 10 })]
    const pick = pickVariant(unmeasured, defaultPickRule)
    expect(pick).toMatchObject({ verdict: 'pending', winnerId: null })
    expect(pick.reason).toContain('accuracy not measured yet for v')
    // A model not benchmarked yet could be the fastest: pending too.
    expect(pickVariant([row('base', { ...p50(1), agreement: 1 }), row('v', { agreement: 1 })], defaultPickRule).reason).toContain('v not benchmarked')
    // Nothing measured at all.
    expect(pickVariant([row('base', {}), row('v', {})], defaultPickRule).reason).toContain('run a benchmark')
    // A model out of a measured limit does not hold the verdict back.
    const capped = [row('base', { ...p50(1), agreement: 1 }), row('v', { ...p50(0.5), agreement: 1, sizeBytes: 400 }), row('big', { sizeBytes: 5000 })]
    expect(pickVariant(capped, { ...defaultPickRule, maxSizeBytes: 2000 })).toMatchObject({ verdict: 'winner', winnerId: 'v' })
  })

  it('uses top-1 disagreement when there are no labels, and says when nothing qualifies', () => {
    const unlabelled = [row('base', p50(1)), row('v', { ...p50(0.5), agreement: 0.995 }), row('w', { ...p50(0.4), agreement: 0.95 })]
    expect(pickVariant(unlabelled, defaultPickRule).winnerId).toBe('v')
    const none = pickVariant(rows, { ...defaultPickRule, maxSizeBytes: 100 })
    expect(none).toMatchObject({ verdict: 'none', winnerId: null })
    expect(none.reason).toContain('no model meets')
  })

  it('never tells byte-identical copies apart, whatever their timings say', () => {
    // Two copies of the baseline whose timings happen not to overlap.
    const copies = [
      row('base', { ...p50(1.0), agreement: 1, digest: 'd1' }),
      row('copy', { ...p50(0.8), agreement: 1, digest: 'd1', pairedP50: { base: { value: 0.8, low: 0.79, high: 0.81 } } }),
    ]
    const pick = pickVariant(copies, defaultPickRule)
    expect(pick).toMatchObject({ verdict: 'no-difference', winnerId: null, margins: { objective: { basis: 'identical', ratio: 1 } } })
    expect(pick.reason).toContain('identical bytes')
    // A real improvement beside them still wins.
    const withInt8 = [...copies, row('int8', { ...p50(0.4), agreement: 0.999, sizeBytes: 300 })]
    expect(pickVariant(withInt8, defaultPickRule)).toMatchObject({ verdict: 'winner', winnerId: 'int8' })
  })
})

describe('dominated variants', () => {
  const parent = row('base', { ...p50(1), accuracy: 0.95, accuracyDrop: 0, sizeBytes: 1000 })
  it('marks a variant slower beyond the noise, bigger and no more accurate than its parent', () => {
    const worse = row('v', { ...p50(1.5), accuracy: 0.95, accuracyDrop: 0, sizeBytes: 1200, parentId: 'base' })
    expect(isDominatedBy(worse, parent)).toBe(true)
    expect(dominatedIds([parent, worse])).toEqual(new Set(['v']))
    // More accurate, or not bigger, or slower only within the noise, or accuracy unknown: not dominated.
    expect(isDominatedBy({ ...worse, accuracy: 0.96 }, parent)).toBe(false)
    expect(isDominatedBy({ ...worse, sizeBytes: 1000 }, parent)).toBe(false)
    expect(isDominatedBy({ ...worse, ...p50(1.005, 0.05) }, parent)).toBe(false)
    expect(isDominatedBy({ ...worse, accuracy: undefined, accuracyDrop: undefined }, parent)).toBe(false)
    // Only against its own parent.
    expect(dominatedIds([parent, { ...worse, parentId: 'other' }]).size).toBe(0)
  })
})

describe('ratio with its uncertainty', () => {
  it('shows the larger distance to the interval’s ends', () => {
    expect(formatRatioEstimate({ ratio: 0.81, low: 0.79, high: 0.84 })).toBe('0.81× ± 0.03')
    expect(formatRatioEstimate({ ratio: 1, low: 1, high: 1 })).toBe('1.00× ± <0.01')
    expect(formatRatioEstimate({ ratio: 12.34 })).toBe('12.3×')
  })
})

describe('tune figures with their uncertainty', () => {
  it('reads a latency ratio from two medians measured apart, conservatively', () => {
    expect(unpairedRatio({ value: 1, low: 0.9, high: 1.1 }, { value: 2, low: 1.9, high: 2.1 })).toEqual({ ratio: 0.5, low: 0.9 / 2.1, high: 1.1 / 1.9 })
    expect(unpairedRatio({ value: 1, low: 0.9, high: 1.1 }, { value: 0.1, low: -0.1, high: 0.3 })).toBeUndefined()
    expect(formatLatencyRatio({ p50Ms: 1, p50HalfWidthMs: 0.1 }, { p50Ms: 2, p50HalfWidthMs: 0.1 })).toBe('0.50× ± 0.08')
    expect(formatLatencyRatio({ p50Ms: 1 }, { p50Ms: undefined })).toBe('—')
  })

  it('gives an accuracy drop with its paired interval', () => {
    expect(formatDropPoints({ accuracyDropPoints: 0.4, accuracyDropInterval: { value: 0.4, low: 0.1, high: 0.75 } })).toBe('0.40 pt ± 0.35')
    expect(formatDropPoints({ accuracyDropPoints: 0.4 })).toBe('0.40 pt')
    expect(formatDropPoints({})).toBe('—')
  })
})
