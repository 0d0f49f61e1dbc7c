import { describe, expect, it } from 'vitest'
import { seededRandom } from '../bench/random-inputs'
import { quantizeInt4 } from './int4-matmulnbits'

/** Reads value (row r, column c) back from MatMulNBits' layout. */
function dequantize(q: ReturnType<typeof quantizeInt4>, r: number, c: number, blockSize: number): number {
  const b = Math.floor(r / blockSize)
  const at = (c * q.blocks + b) * (blockSize / 2) + ((r % blockSize) >> 1)
  const nibble = ((q.packed[at] as number) >> (((r % blockSize) & 1) * 4)) & 15
  const zp = q.zeroPoints ? ((q.zeroPoints[c * Math.ceil(q.blocks / 2) + (b >> 1)] as number) >> ((b & 1) * 4)) & 15 : 8
  return (nibble - zp) * (q.scales[c * q.blocks + b] as number)
}

describe('int4 block quantization', () => {
  const random = seededRandom(4)
  const k = 80
  const n = 3
  const w = Float32Array.from({ length: k * n }, () => random() * 2 - 1)

  for (const symmetric of [false, true]) {
    it(`packs ${symmetric ? 'symmetric' : 'asymmetric'} blocks that read back within half a step`, () => {
      const q = quantizeInt4(w, k, n, 32, symmetric)
      expect(q.blocks).toBe(3)
      expect(q.packed.length).toBe(n * 3 * 16)
      expect(q.zeroPoints?.length).toBe(symmetric ? undefined : n * 2)
      for (let r = 0; r < k; r++)
        for (let c = 0; c < n; c++) {
          const step = q.scales[c * q.blocks + Math.floor(r / 32)] as number
          expect(Math.abs(dequantize(q, r, c, 32) - (w[r * n + c] as number))).toBeLessThanOrEqual(step / 2 + 1e-6)
        }
    })
  }
})
