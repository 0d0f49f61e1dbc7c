import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import Long from 'long'
import { decodeModel, decodeTensor, encodeTensor } from './codec'
import { DataType } from './onnx-types'
import {
  arrayFromBytes,
  checkTensorData,
  dtypeCode,
  dtypeName,
  elementCount,
  makeTensor,
  storageBytes,
  tensorStrings,
  tensorToArray,
} from './tensor-data'

describe('elementCount', () => {
  it('multiplies dims, accepting Long', () => {
    expect(elementCount([2, Long.fromNumber(3), 4])).toBe(24)
    expect(elementCount([])).toBe(1)
    expect(elementCount([5, 0])).toBe(0)
  })
  it('refuses negative dims and products past 2^53', () => {
    expect(() => elementCount([-1, 3])).toThrow(/invalid dimension -1/)
    expect(() => elementCount([2 ** 30, 2 ** 30, 2 ** 30])).toThrow(/more elements than can be counted/)
  })
})

describe('tensorToArray', () => {
  it('reads raw_data as a view when aligned and as a copy when not', () => {
    const values = new Float32Array([1.5, -2, 3.25])
    const bytes = encodeTensor(makeTensor('w', [3], values))
    const aligned = new Uint8Array(bytes.length + 8)
    aligned.set(bytes, 0)
    const decoded = decodeTensor(aligned.subarray(0, bytes.length))
    const array = tensorToArray(decoded)
    expect(array).toEqual(new Float32Array([1.5, -2, 3.25]))
    expect(array.buffer === aligned.buffer).toBe(decoded.rawData!.byteOffset % 4 === 0)
    const unaligned = new Uint8Array(13).subarray(1)
    unaligned.set(new Uint8Array(values.buffer))
    const copied = arrayFromBytes(DataType.FLOAT, unaligned, 3)
    expect(copied).toEqual(new Float32Array([1.5, -2, 3.25]))
    expect(copied.buffer === unaligned.buffer).toBe(false)
  })

  it('reads typed fields for int64, float16 bits, bool, double and uint32', () => {
    expect(tensorToArray({ dims: [2], dataType: DataType.INT64, int64Data: [Long.fromString('9223372036854775807'), -3] })).toEqual(
      new BigInt64Array([9223372036854775807n, -3n]),
    )
    expect(tensorToArray({ dims: [1], dataType: DataType.FLOAT16, int32Data: [0x3c00] })).toEqual(new Uint16Array([0x3c00]))
    expect(tensorToArray({ dims: [3], dataType: DataType.BOOL, int32Data: [1, 0, 1] })).toEqual(new Uint8Array([1, 0, 1]))
    expect(tensorToArray({ dims: [1], dataType: DataType.DOUBLE, doubleData: [0.1] })).toEqual(new Float64Array([0.1]))
    expect(tensorToArray({ dims: [1], dataType: DataType.UINT32, uint64Data: [4294967295] })).toEqual(new Uint32Array([4294967295]))
  })

  it('refuses a 1e12-element declared tensor before allocating', () => {
    const tensor = { name: 'huge', dims: [1_000_000, 1_000_000], dataType: DataType.FLOAT, rawData: new Uint8Array(16) }
    expect(() => tensorToArray(tensor)).toThrow(/tensor 'huge' declares 1000000000000 elements \(3\.64 TiB\)/)
  })

  it('refuses data shorter than the dims say', () => {
    expect(() => checkTensorData({ name: 'b', dims: [4], dataType: DataType.FLOAT, rawData: new Uint8Array(12) })).toThrow(
      /tensor 'b' declares 4 elements \[4\] of float32 \(16 B\) but holds 12 B/,
    )
    expect(() => checkTensorData({ name: 'c', dims: [3], dataType: DataType.INT32, int32Data: [1, 2] })).toThrow(/holds 2 values/)
    expect(() => checkTensorData({ name: 'd', dims: [1], dataType: 99 })).toThrow(/unknown element type 99/)
  })

  it('reads every initializer of a real model with the right element count', async () => {
    const model = decodeModel(await readFile('test-fixtures/onnx/digits_mlp.onnx'))
    let total = 0
    for (const init of model.graph!.initializer!) total += tensorToArray(init).length
    // 64*128+128 + 128*64+64 + 64*10+10, checked with python3-onnx (numpy_helper.to_array sizes)
    expect(total).toBe(17226)
  })
})

describe('makeTensor', () => {
  it('round-trips every numeric type and strings through the codec', () => {
    const cases: [Parameters<typeof makeTensor>[2], number | undefined][] = [
      [new Float32Array([1, 2]), undefined],
      [new Float64Array([1, 2]), undefined],
      [new Int8Array([-1, 2]), undefined],
      [new Uint8Array([1, 255]), undefined],
      [new Int16Array([-300, 2]), undefined],
      [new Uint16Array([0x3c00, 0x4000]), DataType.FLOAT16],
      [new Int32Array([-7, 2]), undefined],
      [new Uint32Array([7, 2]), undefined],
      [new BigInt64Array([-7n, 2n]), undefined],
      [new BigUint64Array([7n, 2n]), undefined],
    ]
    for (const [data, type] of cases) {
      const back = decodeTensor(encodeTensor(makeTensor('t', [2], data, type)))
      expect(tensorToArray(back)).toEqual(data)
    }
    const strings = decodeTensor(encodeTensor(makeTensor('s', [2], ['a', 'ünï'])))
    expect(tensorStrings(strings)).toEqual(['a', 'ünï'])
  })

  it('refuses data that does not match the dims', () => {
    expect(() => makeTensor('x', [3], new Float32Array(2))).toThrow(/8 bytes of data for 3 float32 elements/)
    expect(() => makeTensor('h', [1], new Uint16Array(1))).toThrow(/pass the data type/)
  })
})

describe('dtype names', () => {
  it("uses ONNX Runtime's names and packs 4-bit types", () => {
    expect(dtypeName(DataType.FLOAT16)).toBe('float16')
    expect(dtypeName(DataType.DOUBLE)).toBe('float64')
    expect(dtypeCode('int64')).toBe(DataType.INT64)
    expect(storageBytes(DataType.INT4, 5)).toBe(3)
    expect(dtypeName(77)).toBe('unknown(77)')
  })
})
