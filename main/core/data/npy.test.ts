import { describe, expect, it } from 'vitest'
import { encodeNpy, NpyFormatError, parseNpy } from './npy'

/** A real .npy header (as encodeNpy writes it) whose shape is replaced, with `dataBytes` of data after it. */
function withShape(shape: string, dataBytes: number): Uint8Array {
  const good = encodeNpy({ dtype: 'float32', dims: [2], data: new Float32Array(2) })
  const headerLength = new DataView(good.buffer).getUint16(8, true)
  const header = new TextDecoder('latin1').decode(good.subarray(10, 10 + headerLength)).replace('(2,)', shape)
  const padded = header.trimEnd().padEnd(headerLength - 1, ' ') + '\n'
  const out = new Uint8Array(10 + padded.length + dataBytes)
  out.set(good.subarray(0, 10))
  new DataView(out.buffer).setUint16(8, padded.length, true)
  out.set(new TextEncoder().encode(padded), 10)
  return out
}

describe('.npy sizes', () => {
  it('computes the data size exactly, so a lying shape is reported as a truncated file', () => {
    expect(() => parseNpy(withShape('(1000000000, 1, 8, 8)', 0))).toThrow(new NpyFormatError('the file is truncated: shape (1000000000, 1, 8, 8) needs 256000000000 bytes of data, found 0'))
    expect(() => parseNpy(withShape('(4294967296, 2)', 8))).toThrow(/needs 34359738368 bytes of data, found 8/)
  })

  it('refuses shapes whose element count or byte size cannot be counted', () => {
    expect(() => parseNpy(withShape('(9007199254740991, 2)', 0))).toThrow(NpyFormatError)
    expect(() => parseNpy(withShape('(4503599627370496, 1)', 0))).toThrow(/too large/)
  })
})
