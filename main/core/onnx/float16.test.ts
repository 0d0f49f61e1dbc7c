import { describe, expect, it } from 'vitest'
import { float16ArrayToFloat32, float32ToFloat16Array, fromFloat16Bits, toFloat16Bits } from './float16'

describe('float16', () => {
  it('encodes known values to their IEEE half bit patterns', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00)
    expect(toFloat16Bits(-2)).toBe(0xc000)
    expect(toFloat16Bits(65504)).toBe(0x7bff)
    expect(toFloat16Bits(1e6)).toBe(0x7c00)
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001)
    expect(toFloat16Bits(0.1)).toBe(0x2e66)
    expect(toFloat16Bits(Number.NaN) & 0x7e00).toBe(0x7e00)
  })
  it('rounds halfway cases to even', () => {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: even mantissa wins (1).
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00)
    // 1 + 3·2^-11 lies halfway between mantissas 1 and 2: rounds to 2.
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02)
  })
  it('round-trips every finite half exactly', () => {
    const bits = new Uint16Array(0x10000).map((_, i) => i)
    const finite = bits.filter((b) => (b & 0x7c00) !== 0x7c00)
    expect(Array.from(float32ToFloat16Array(float16ArrayToFloat32(finite)))).toEqual(Array.from(finite))
    expect(fromFloat16Bits(0x7bff)).toBe(65504)
  })
})
