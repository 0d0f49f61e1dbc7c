import { readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../bench/random-inputs'
import { decodeModel, encodeModel } from '../onnx/codec'
import { magnitudeThreshold, pruneMagnitude } from './prune-magnitude'
import { digitsAccuracy } from './prune-test-support'

const gzipBytes = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length

describe('magnitudeThreshold', () => {
  it('is the count-th smallest magnitude across arrays', () => {
    expect(magnitudeThreshold([Float32Array.of(-4, 1), Float32Array.of(3, -2)], 3)).toBe(3)
    expect(magnitudeThreshold([Float32Array.of(5)], 0)).toBe(-1)
  })

  it('selects exactly what sorting all magnitudes selects', () => {
    const random = seededRandom(9)
    const arrays = [1000, 1, 4096].map((n) => Float32Array.from({ length: n }, () => (random() - 0.5) * 10 ** Math.floor(random() * 6 - 3)))
    arrays[0]!.set([0, -0, 1e-40, -1e-40, 3, -3])
    const sorted = Float32Array.from(arrays.flatMap((a) => Array.from(a, Math.abs))).sort()
    for (const count of [1, 2, 7, 500, 2548, 5097]) expect(magnitudeThreshold(arrays, count)).toBe(sorted[count - 1])
  })
})

describe('pruneMagnitude', () => {
  it('zeros 50% of digits_mlp: accuracy stays at 95% or better and gzip shrinks to at most 0.65x', async () => {
    const bytes = await readFile('test-fixtures/onnx/digits_mlp.onnx')
    const { model, summary } = pruneMagnitude(decodeModel(bytes), { sparsity: 0.5, scope: 'layer', includeFirstLast: true })
    const out = encodeModel(model)
    expect(summary.layers.map((l) => l.sparsity)).toEqual([0.5, 0.5, 0.5])
    expect(await digitsAccuracy(out, true)).toBeGreaterThanOrEqual(0.95)
    expect(gzipBytes(out) / gzipBytes(bytes)).toBeLessThanOrEqual(0.65)
    expect(out.length).toBe(bytes.length)
  })

  it('keeps the first and last layers by default and reaches the sparsity globally over the others', async () => {
    const bytes = await readFile('test-fixtures/onnx/digits_cnn.onnx')
    const { summary } = pruneMagnitude(decodeModel(bytes), { sparsity: 0.6 })
    expect(summary.layers[0]).toMatchObject({ kept: 'first layer', sparsity: 0 })
    expect(summary.layers.at(-1)).toMatchObject({ kept: 'last layer', sparsity: 0 })
    expect(summary.achievedSparsity).toBeCloseTo(0.6, 3)
    const middle = summary.layers.slice(1, -1)
    const zeros = middle.reduce((n, l) => n + l.sparsity * l.weights, 0)
    expect(zeros / middle.reduce((n, l) => n + l.weights, 0)).toBeCloseTo(0.6, 3)
    expect(new Set(middle.map((l) => l.sparsity.toFixed(2))).size).toBeGreaterThan(1)
  })

  it('refuses a sparsity outside [0, 1) and models whose weights are computed', async () => {
    const model = decodeModel(await readFile('test-fixtures/onnx/digits_mlp.onnx'))
    expect(() => pruneMagnitude(model, { sparsity: 1 })).toThrow('--sparsity must be at least 0 and below 1 (got 1)')
    expect(() => pruneMagnitude(model, { sparsity: -0.1 })).toThrow('(got -0.1)')
    const computed = decodeModel(await readFile('test-fixtures/onnx/light_resnet50.onnx'))
    expect(() => pruneMagnitude(computed, { sparsity: 0.5 })).toThrow(/Conv 'n0' are computed at run time by ConstantOfShape/)
  })
})
