import { describe, expect, it } from 'vitest'
import { fromFloat16Bits } from '../onnx/float16'
import { defaultRange, randomTensorData } from './random-inputs'

describe('random inputs', () => {
  it('keeps integer ids within the inclusive range and uses all of it', () => {
    const ids = randomTensorData('int64', 5000, { low: 3, high: 7 }, 1) as BigInt64Array
    const values = new Set(Array.from(ids, Number))
    expect([...values].sort()).toEqual([3, 4, 5, 6, 7])
  })
  it('makes floats in range, float16 as half bit patterns, and is the same for the same seed', () => {
    const a = randomTensorData('float32', 1000, { low: -1, high: 1 }, 7) as Float32Array
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...a)).toBeLessThan(1)
    expect(randomTensorData('float32', 10, { low: 0, high: 1 }, 7)).toEqual(randomTensorData('float32', 10, { low: 0, high: 1 }, 7))
    const half = randomTensorData('float16', 100, { low: 2, high: 4 }, 1) as Uint16Array
    expect(half).toBeInstanceOf(Uint16Array)
    for (const bits of half) expect(fromFloat16Bits(bits)).toBeGreaterThanOrEqual(2)
  })
  it('defaults masks to ones and other integers to small ids', () => {
    expect(defaultRange('attention_mask', 'int64')).toEqual({ low: 1, high: 1 })
    expect(defaultRange('input_ids', 'int64')).toEqual({ low: 0, high: 9 })
    expect(defaultRange('x', 'float32')).toEqual({ low: 0, high: 1 })
    const flags = randomTensorData('bool', 50, defaultRange('b', 'bool'), 1) as Uint8Array
    expect(flags.every((v) => v === 0 || v === 1)).toBe(true)
  })
})
