import { describe, expect, it } from 'vitest'
import {
  cosineSimilarity,
  maxAbsError,
  meanAbsError,
  meanRowCosine,
  meanSoftmaxKl,
  outputFidelity,
  sqnrDb,
  topK,
  topKAgreement,
} from './fidelity'

describe('error metrics', () => {
  it('max and mean absolute error', () => {
    expect(maxAbsError([1, 2, 3], [1.5, 2, 1])).toBe(2)
    expect(meanAbsError([1, 2, 3], [1.5, 2, 1])).toBeCloseTo(2.5 / 3, 12)
  })
  it('SQNR is signal power over error power in dB, null when identical', () => {
    // signal 3² + 4² = 25, noise 0.5² = 0.25: ratio 100 → 20 dB.
    expect(sqnrDb([3, 4], [3, 4.5])).toBeCloseTo(20, 10)
    expect(sqnrDb([3, 4], [3, 4])).toBeNull()
  })
  it('cosine of parallel, orthogonal and opposite vectors', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 12)
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0)
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12)
    // Row-wise mean: one identical row (1) and one orthogonal row (0).
    expect(meanRowCosine([1, 0, 0, 1], [1, 0, 1, 0], 2)).toBeCloseTo(0.5, 12)
  })
})

describe('classifier metrics', () => {
  it('top-k picks the largest values, largest first', () => {
    expect(topK([0.1, 0.5, 0.2, 0.9, 0.3], 0, 5, 3)).toEqual([3, 1, 4])
    expect(topK([0, 0, 1, 0, 0, 0, 2, 0], 1, 4, 1)).toEqual([2])
  })
  it('top-1 and top-5 agreement', () => {
    const baseline = [0, 1, 2, 3, 4, 5, /* row 2 */ 5, 4, 3, 2, 1, 0]
    const variant = [0, 1, 2, 3, 5, 4, /* row 2 */ 0, 5, 4, 3, 2, 1]
    // Row 1: top-1 5 vs 4 (disagree), 5 is in the variant's top 5. Row 2: 0 vs 1, and 0 is last in the variant.
    expect(topKAgreement(baseline, variant, 2, 1)).toBe(0)
    expect(topKAgreement(baseline, variant, 2, 5)).toBe(0.5)
  })
  it('KL of the softmax is 0 for equal logits and matches a hand value', () => {
    expect(meanSoftmaxKl([1, 2, 3], [1, 2, 3], 1)).toBeCloseTo(0, 12)
    // Logits [0, ln 3] → p = [1/4, 3/4]; [0, 0] → q = [1/2, 1/2]. KL = 1/4 ln(1/2) + 3/4 ln(3/2).
    const expected = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5)
    expect(meanSoftmaxKl([0, Math.log(3)], [0, 0], 1)).toBeCloseTo(expected, 12)
    // Rows that are probabilities already are used as they are.
    expect(meanSoftmaxKl([0.25, 0.75], [0.5, 0.5], 1)).toBeCloseTo(expected, 12)
  })
  it('outputFidelity adds top-5 only with at least 5 classes', () => {
    const small = outputFidelity({ output: 'y', baseline: [1, 0, 0, 1], variant: [1, 0, 0, 1], samples: 2, classifier: true })
    expect(small).toMatchObject({ top1Agreement: 1, sqnrDb: null, maxAbsError: 0, cosine: 1 })
    expect(small.top5Agreement).toBeUndefined()
  })
})
