import { describe, expect, it } from 'vitest'
import {
  activationParams,
  dequantizeValue,
  fakeQuantize,
  quantizeBias,
  quantizeValue,
  quantizeWeight,
  roundHalfEven,
  sqnrDb,
  UINT8_MAX,
  UINT8_MIN,
} from './quant-params'

describe('quantization arithmetic', () => {
  it('rounds halves to even as QuantizeLinear does', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3])
  })

  it('keeps zero exact and puts a ReLU range at the bottom of the uint8 grid', () => {
    const p = activationParams(0, 6, UINT8_MIN, UINT8_MAX)
    expect(p.zeroPoint).toBe(0)
    expect(p.scale).toBeCloseTo(6 / 255, 9)
    expect(quantizeValue(-3, p, UINT8_MIN, UINT8_MAX)).toBe(0)
    const q = activationParams(0.5, 2)
    expect(dequantizeValue(quantizeValue(0, q), q)).toBe(0)
  })

  it('gives per-channel weights their own symmetric scales', () => {
    const w = Float32Array.from([1, -4, 0.5, 0.2, 0.1, -0.04])
    const q = quantizeWeight(w, [3, 2], 0)
    expect(Array.from(q.scales).map((s) => s * 127)).toEqual([expect.closeTo(4, 5), expect.closeTo(0.5, 5), expect.closeTo(0.1, 5)])
    expect(Array.from(q.values)).toEqual([32, -127, 127, 51, 127, -51])
    const perTensor = quantizeWeight(w, [3, 2])
    expect(perTensor.scales.length).toBe(1)
    expect(perTensor.values[1]).toBe(-127)
  })

  it('quantizes a bias to int32 with the product of input and weight scales', () => {
    const b = quantizeBias(Float32Array.from([0.3, -0.06]), 0.01, Float32Array.from([0.5, 0.2]))
    expect(Array.from(b.values)).toEqual([60, -30])
    expect(b.scales[1]).toBeCloseTo(0.002, 9)
  })

  it('measures SQNR in dB', () => {
    expect(sqnrDb([1, 1, 1, 1], [1.1, 0.9, 1.1, 0.9])).toBeCloseTo(20, 6)
    expect(sqnrDb([1, 2], [1, 2])).toBe(Number.POSITIVE_INFINITY)
    const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i))
    const own = sqnrDb(x, fakeQuantize(x, activationParams(-1, 1)))
    expect(own).toBeGreaterThan(40)
    expect(own).toBeLessThan(50)
  })
})
