import { describe, expect, it } from 'vitest'
import { HttpError } from './http-error'
import { elementCount, encodeInferResponse, parseInferRequest, type CodecLimits } from './infer-codec'
import { jsonDepth } from './json-guard'

const LIMITS: CodecLimits = { maxTensorBytes: 1 << 20, maxJsonDepth: 32, maxRank: 8, maxTensors: 8 }

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}

function rejects(fn: () => unknown, message: RegExp): void {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(400)
    expect((error as HttpError).message).toMatch(message)
    return
  }
  throw new Error('expected a 400')
}

describe('infer request parsing', () => {
  it('accepts nested and flat JSON data alike', () => {
    const nested = parseInferRequest(json({ id: 'a', inputs: [{ name: 'x', shape: [2, 2], datatype: 'INT32', data: [[1, 2], [3, 4]] }] }), undefined, LIMITS)
    const flat = parseInferRequest(json({ inputs: [{ name: 'x', shape: [2, 2], datatype: 'INT32', data: [1, 2, 3, 4] }] }), undefined, LIMITS)
    expect(Array.from(nested.inputs[0]!.data as Int32Array)).toEqual([1, 2, 3, 4])
    expect(nested.inputs[0]!.data).toEqual(flat.inputs[0]!.data)
    expect(nested.id).toBe('a')
  })

  it('reads binary tensors of every fixed-size type, including FP16 and BYTES', () => {
    const header = json({
      inputs: [
        { name: 'h', shape: [2], datatype: 'FP16', parameters: { binary_data_size: 4 } },
        { name: 'b', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: 11 } },
        { name: 'i', shape: [1], datatype: 'INT64', parameters: { binary_data_size: 8 } },
      ],
      outputs: [{ name: 'y', parameters: { binary_data: true } }],
    })
    const bytes = Buffer.alloc(4 + 11 + 8)
    bytes.writeUInt16LE(0x3c00, 0) // 1.0 in half precision
    bytes.writeUInt16LE(0xc000, 2) // -2.0
    bytes.writeUInt32LE(2, 4)
    bytes.write('hi', 8)
    bytes.writeUInt32LE(1, 10)
    bytes.write('!', 14)
    bytes.writeBigInt64LE(-(2n ** 40n), 15)
    const request = parseInferRequest(Buffer.concat([header, bytes]), header.length, LIMITS)
    expect(Array.from(request.inputs[0]!.data as Uint16Array)).toEqual([0x3c00, 0xc000])
    expect(request.inputs[1]!.data).toEqual(['hi', '!'])
    expect(Array.from(request.inputs[2]!.data as BigInt64Array)).toEqual([-(2n ** 40n)])
    expect(request.outputs).toEqual([{ name: 'y', binary: true }])
  })

  it('refuses element counts that differ from the shape, either way', () => {
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1, 8], datatype: 'FP32', data: new Array(10).fill(0) }] }), undefined, LIMITS), /more elements than the shape holds \(8\)/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1, 8], datatype: 'FP32', data: new Array(6).fill(0) }] }), undefined, LIMITS), /6 elements given, shape holds 8/)
  })

  it('checks shape arithmetic for overflow and declared size before allocating', () => {
    expect(() => elementCount([4, 2 ** 52, 2 ** 52], 8, 'x')).toThrow(/byte size overflow/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1e9, 1e9], datatype: 'FP32', data: [1] }] }), undefined, LIMITS), /overflow|exceeds/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [300000], datatype: 'INT64', data: [1] }] }), undefined, LIMITS), /declared size exceeds the 1048576-byte limit/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [2, -5], datatype: 'FP32', data: [1] }] }), undefined, LIMITS), /invalid dimension -5/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1.5], datatype: 'FP32', data: [1] }] }), undefined, LIMITS), /invalid dimension 1.5/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: new Array(9).fill(1), datatype: 'FP32', data: [1] }] }), undefined, LIMITS), /rank 9 exceeds 8/)
  })

  it('refuses values that do not fit the datatype, and FP16 in JSON', () => {
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: ['1'] }] }), undefined, LIMITS), /input 'x': element 0 is not a number/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1], datatype: 'UINT8', data: [256] }] }), undefined, LIMITS), /not a valid UINT8/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1], datatype: 'BOOL', data: [2] }] }), undefined, LIMITS), /BOOL elements/)
    rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP16', data: [1] }] }), undefined, LIMITS), /FP16 is only accepted as binary/)
  })

  it('checks binary sizes against the shape and the body', () => {
    const header = json({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }] })
    rejects(() => parseInferRequest(Buffer.concat([header, Buffer.alloc(4)]), header.length, LIMITS), /runs past the end/)
    rejects(() => parseInferRequest(Buffer.concat([header, Buffer.alloc(12)]), header.length, LIMITS), /4 bytes of binary data are not claimed/)
    rejects(() => parseInferRequest(Buffer.concat([header, Buffer.alloc(8)]), header.length + 100, LIMITS), /out of range/)
    const wrong = json({ inputs: [{ name: 'x', shape: [3], datatype: 'FP32', parameters: { binary_data_size: 8 } }] })
    rejects(() => parseInferRequest(Buffer.concat([wrong, Buffer.alloc(8)]), wrong.length, LIMITS), /8 bytes given, shape needs 12/)
  })

  it('refuses deep nesting before parsing, duplicate names and malformed JSON', () => {
    const deep = Buffer.from('{"inputs":' + '['.repeat(10000) + ']'.repeat(10000) + '}')
    expect(jsonDepth(deep)).toBe(10001)
    rejects(() => parseInferRequest(deep, undefined, LIMITS), /nesting depth exceeds 32/)
    rejects(() => parseInferRequest(Buffer.from('{"inputs": ['), undefined, LIMITS), /malformed JSON/)
    const twice = { name: 'x', shape: [1], datatype: 'FP32', data: [1] }
    rejects(() => parseInferRequest(json({ inputs: [twice, twice] }), undefined, LIMITS), /given twice/)
    rejects(() => parseInferRequest(json({ inputs: [twice], outputs: [{ name: 'y' }, { name: 'y' }] }), undefined, LIMITS), /requested twice/)
  })

  it('counts brackets inside strings as text when measuring depth', () => {
    expect(jsonDepth(Buffer.from('{"a":"[[[[\\"[[["}'))).toBe(1)
  })
})

describe('infer response encoding', () => {
  it('writes JSON outputs and binary outputs after the header', () => {
    const tensor = { name: 'y', datatype: 'FP32' as const, shape: [2], data: new Float32Array([1.5, -2]) }
    const asJson = encodeInferResponse({ modelName: 'm', modelVersion: '1', id: 'q' }, [{ tensor, binary: false }])
    expect(JSON.parse(asJson.body.toString())).toEqual({
      model_name: 'm',
      model_version: '1',
      id: 'q',
      outputs: [{ name: 'y', datatype: 'FP32', shape: [2], data: [1.5, -2] }],
    })
    const asBinary = encodeInferResponse({ modelName: 'm', modelVersion: '1' }, [{ tensor, binary: true }])
    const header = JSON.parse(asBinary.body.subarray(0, asBinary.headerLength).toString())
    expect(header.outputs[0].parameters).toEqual({ binary_data_size: 8 })
    expect(asBinary.body.readFloatLE(asBinary.headerLength!)).toBe(1.5)
    expect(asBinary.body.readFloatLE(asBinary.headerLength! + 4)).toBe(-2)
  })
})
