import { describe, expect, it } from 'vitest'
import { chooseSetting, constraintOf, expand, initialCandidates, meetsConstraint, settingsToTry, type Outcome, type PlannedCandidate } from './tune-plan'
import { medianHalfWidth } from './tune-metrics'

// The sample digits CNN: convolutions and a Gemm, float32 weights, no MatMul.
const cnn = { opHistogram: { Conv: 2, Relu: 2, MaxPool: 2, Gemm: 1, Flatten: 1 }, dtypes: ['float32'] }
const mlp = { opHistogram: { MatMul: 3, Add: 3, Relu: 2 }, dtypes: ['float32'] }

type Done = Map<string, { candidate: PlannedCandidate; outcome: Outcome; objectiveValue?: number }>

function byKey(candidates: readonly PlannedCandidate[], key: string): PlannedCandidate {
  const found = candidates.find((c) => c.key === key)
  if (!found) throw new Error(`no candidate ${key}`)
  return found
}

describe('the initial plan', () => {
  it('tries every calibration method per-channel or not, dynamic int8, pruning, fp16 and graph optimization on a CNN, and says why int4 does not apply', () => {
    const plan = initialCandidates(cnn, 'calib.npy', 'latency')
    expect(plan.candidates.map((c) => c.key)).toEqual([
      'dynamic',
      'static-minmax-pc',
      'static-percentile-pc',
      'static-entropy-pc',
      'static-minmax-pt',
      'static-percentile-pt',
      'static-entropy-pt',
      'prune-0.25',
      'prune-0.5',
      'fp16',
      'optimize',
    ])
    expect(plan.skipped).toEqual([expect.objectContaining({ key: 'int4', reason: expect.stringMatching(/MatMul/) })])
    const step = byKey(plan.candidates, 'static-entropy-pt').steps[0]
    expect(step).toEqual({ step: 'quantize', options: expect.objectContaining({ mode: 'static', calibPath: 'calib.npy', method: 'entropy', perChannel: false }) })
  })

  it('adds int4 block sizes where MatMul weights exist; leaves out what cannot serve the objective or is done already', () => {
    expect(initialCandidates(mlp, 'c', 'latency').candidates.filter((c) => c.family === 'int4').map((c) => c.strength)).toEqual([32, 64, 128])
    const forSize = initialCandidates(cnn, 'c', 'size')
    expect(forSize.candidates.some((c) => c.family === 'optimize')).toBe(false)
    expect(forSize.skipped.find((s) => s.key === 'optimize')?.reason).toMatch(/cannot make the model smaller/)
    const quantized = initialCandidates({ opHistogram: { QuantizeLinear: 3, DequantizeLinear: 5, Conv: 2 }, dtypes: ['int8', 'float32'] }, 'c', 'latency')
    expect(quantized.candidates.some((c) => ['static', 'dynamic', 'int4', 'fp16'].includes(c.family))).toBe(false)
    expect(quantized.skipped[0]?.reason).toMatch(/already quantized/)
  })
})

describe('pruning the search', () => {
  const plan = initialCandidates(mlp, 'c', 'latency').candidates

  it('drops the stronger members of a family once a weaker one misses the constraint, saying why', () => {
    const int4 = byKey(plan, 'int4-b32')
    const result = expand(int4, { status: 'done', meets: false, qualityDrop: 3.2 }, plan.filter((c) => c !== int4), new Map(), 'latency')
    expect(result.drop.map((d) => d.key)).toEqual(['int4-b64', 'int4-b128'])
    expect(result.drop[0]?.reason).toMatch(/int4 blocks of 32 already misses the constraint \(quality drop 3\.20 points\)/)
    // A pass opens nothing and drops nothing.
    expect(expand(int4, { status: 'done', meets: true, qualityDrop: 0.1 }, plan, new Map(), 'latency')).toEqual({ add: [], drop: [], notes: [] })
  })

  it('retries a static int8 that misses once, with the layers its error report names kept in float', () => {
    const minmax = byKey(plan, 'static-minmax-pc')
    const miss: Outcome = { status: 'done', meets: false, qualityDrop: 2, suggestedExclusions: ['conv1', 'fc'] }
    const result = expand(minmax, miss, plan, new Map(), 'latency')
    expect(result.add).toHaveLength(1)
    expect(result.add[0]?.key).toBe('static-minmax-pc-float2')
    expect(result.add[0]?.steps[0]).toEqual({ step: 'quantize', options: expect.objectContaining({ method: 'minmax', perChannel: true, excludeNodes: ['conv1', 'fc'] }) })
    // The retry itself is not retried, and a planned retry is not planned twice.
    expect(expand(result.add[0] as PlannedCandidate, miss, plan, new Map(), 'latency').add).toEqual([])
    expect(expand(minmax, miss, [...plan, result.add[0] as PlannedCandidate], new Map(), 'latency').add).toEqual([])
  })

  it('re-quantizes a pruned model that passes with the best quantization that helped, and says when there is none', () => {
    const prune = byKey(plan, 'prune-0.25')
    const done: Done = new Map([
      ['dynamic', { candidate: byKey(plan, 'dynamic'), outcome: { status: 'done', meets: true, helps: true }, objectiveValue: 0.9 }],
      ['static-minmax-pc', { candidate: byKey(plan, 'static-minmax-pc'), outcome: { status: 'done', meets: true, helps: true }, objectiveValue: 0.7 }],
      ['static-entropy-pc', { candidate: byKey(plan, 'static-entropy-pc'), outcome: { status: 'done', meets: false, helps: true }, objectiveValue: 0.5 }],
      ['fp16', { candidate: byKey(plan, 'fp16'), outcome: { status: 'done', meets: true, helps: false }, objectiveValue: 1.1 }],
    ])
    const passed = expand(prune, { status: 'done', meets: true, qualityDrop: 0.3 }, plan, done, 'latency')
    expect(passed.add.map((c) => [c.key, c.parentKey])).toEqual([['prune-0.25+static-minmax-pc', 'prune-0.25']])
    expect(passed.add[0]?.steps[0]).toEqual({ step: 'quantize', options: expect.not.objectContaining({ excludeNodes: expect.anything() }) })
    const none = expand(prune, { status: 'done', meets: true }, plan, new Map([['fp16', done.get('fp16')!]]), 'latency')
    expect(none.add).toEqual([])
    expect(none.notes[0]).toMatch(/no quantization of the unpruned model met the constraint and helped/)
    expect(expand(prune, { status: 'done', meets: false, qualityDrop: 4 }, plan, done, 'latency').notes[0]).toMatch(/misses the constraint, and quantizing adds error/)
  })
})

describe('the constraint', () => {
  it('defaults to a 1-point accuracy drop with labels and 99% top-1 agreement without; unmeasured is null, not a pass', () => {
    expect(constraintOf({}, true)).toEqual({ maxAccuracyDrop: 1 })
    expect(constraintOf({}, false)).toEqual({ minTop1Agreement: 0.99 })
    expect(constraintOf({ minFidelity: { sqnrDb: 30 } }, true)).toEqual({ minSqnrDb: 30 })
    expect(meetsConstraint({ maxAccuracyDrop: 1 }, {})).toBeNull()
    expect(meetsConstraint({ maxAccuracyDrop: 1 }, { accuracyDropPoints: 1.2 })).toBe(false)
    expect(meetsConstraint({ minSqnrDb: 30 }, { sqnrDb: null })).toBe(true)
    expect(meetsConstraint({ minTop1Agreement: 0.99, minSqnrDb: 30 }, { top1Agreement: 0.995 })).toBeNull()
  })
})

describe('session settings', () => {
  it('tries thread counts up to the cores at two graph levels', () => {
    expect(settingsToTry(2)).toEqual([
      { intraOpThreads: 1, graphOptimizationLevel: 'basic' },
      { intraOpThreads: 1, graphOptimizationLevel: 'all' },
      { intraOpThreads: 2, graphOptimizationLevel: 'basic' },
      { intraOpThreads: 2, graphOptimizationLevel: 'all' },
    ])
  })

  it('moves off the default only when another setting is better beyond both intervals, and says by how much', () => {
    const at = (intraOpThreads: number, value: number, halfWidth: number) => ({ settings: { intraOpThreads, graphOptimizationLevel: 'all' as const }, value, halfWidth })
    const close = chooseSetting([at(1, 1.0, 0.05), at(2, 0.93, 0.05)], 'latency')
    expect(close?.chosen.settings.intraOpThreads).toBe(1)
    expect(close?.note).toMatch(/no other setting was better beyond the measurement's uncertainty/)
    const clear = chooseSetting([at(1, 1.0, 0.02), at(2, 0.6, 0.02)], 'latency')
    expect(clear?.chosen.settings.intraOpThreads).toBe(2)
    expect(clear?.note).toMatch(/^2 threads, all optimizations: 0\.60× ± 0\.0\d of 1 thread/)
    expect(chooseSetting([at(1, 100, 2), at(2, 150, 3)], 'throughput')?.chosen.settings.intraOpThreads).toBe(2)
  })
})

describe('the median interval', () => {
  it('spans the order statistics n/2 ± 0.98√n of the histogram', () => {
    // 100 runs spread evenly over 1.0..2.0 ms in 10 bins: ranks 40.2 and 59.8 are at 1.402 and 1.598 ms.
    const histogram = { startMs: 1, binWidthMs: 0.1, counts: new Array<number>(10).fill(10) }
    expect(medianHalfWidth({ histogram })).toBeCloseTo(0.098, 3)
    expect(medianHalfWidth({ histogram: { startMs: 1, binWidthMs: 0, counts: [50] } })).toBe(0)
  })
})
