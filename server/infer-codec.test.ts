import { describe, expect, it } from 'vitest'
import { HttpError } from './http-error'
import { decodeInputs, elementCount, encodeInferResponse, parseInferHead, parseInferRequest, type CodecLimits } from './infer-codec'
import { jsonDepth } from './json-guard'

const LIMITS: CodecLimits = { maxTensorBytes: 1 << 20, maxBytesElements: 1000, maxJsonDepth: 32, maxRank: 8, maxTensors: 8 }

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}

async function rejects(fn: () => unknown, message: RegExp): Promise<void> {
  try {
    await fn()
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(400)
    expect((error as HttpError).message).toMatch(message)
    return
  }
  throw new Error('expected a 400')
}

describe('infer request parsing', () => {
  it('accepts nested and flat JSON data alike', async () => {
    const nested = await parseInferRequest(json({ id: 'a', inputs: [{ name: 'x', shape: [2, 2], datatype: 'INT32', data: [[1, 2], [3, 4]] }] }), undefined, LIMITS)
    const flat = await parseInferRequest(json({ inputs: [{ name: 'x', shape: [2, 2], datatype: 'INT32', data: [1, 2, 3, 4] }] }), undefined, LIMITS)
    expect(Array.from(nested.inputs[0]!.data as Int32Array)).toEqual([1, 2, 3, 4])
    expect(nested.inputs[0]!.data).toEqual(flat.inputs[0]!.data)
    expect(nested.id).toBe('a')
  })

  it('reads binary tensors of every fixed-size type, including FP16 and BYTES', async () => {
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
    const request = await parseInferRequest(Buffer.concat([header, bytes]), header.length, LIMITS)
    expect(Array.from(request.inputs[0]!.data as Uint16Array)).toEqual([0x3c00, 0xc000])
    expect(request.inputs[1]!.data).toEqual(['hi', '!'])
    expect(Array.from(request.inputs[2]!.data as BigInt64Array)).toEqual([-(2n ** 40n)])
    expect(request.outputs).toEqual([{ name: 'y', binary: true }])
  })

  it('refuses element counts that differ from the shape, either way', async () => {
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1, 8], datatype: 'FP32', data: new Array(10).fill(0) }] }), undefined, LIMITS), /more elements than the shape holds \(8\)/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1, 8], datatype: 'FP32', data: new Array(6).fill(0) }] }), undefined, LIMITS), /6 elements given, shape holds 8/)
  })

  it('checks shape arithmetic for overflow and declared size before allocating', async () => {
    expect(() => elementCount([4, 2 ** 52, 2 ** 52], 8, 'x')).toThrow(/byte size overflow/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1e9, 1e9], datatype: 'FP32', data: [1] }] }), undefined, LIMITS), /overflow|exceeds/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [300000], datatype: 'INT64', data: [1] }] }), undefined, LIMITS), /declared size exceeds the 1048576-byte limit/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [2, -5], datatype: 'FP32', data: [1] }] }), undefined, LIMITS), /invalid dimension -5/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1.5], datatype: 'FP32', data: [1] }] }), undefined, LIMITS), /invalid dimension 1.5/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: new Array(9).fill(1), datatype: 'FP32', data: [1] }] }), undefined, LIMITS), /rank 9 exceeds 8/)
  })

  it('refuses values that do not fit the datatype, and FP16 in JSON', async () => {
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: ['1'] }] }), undefined, LIMITS), /input 'x': element 0 is not a number/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1], datatype: 'UINT8', data: [256] }] }), undefined, LIMITS), /not a valid UINT8/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1], datatype: 'BOOL', data: [2] }] }), undefined, LIMITS), /BOOL elements/)
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP16', data: [1] }] }), undefined, LIMITS), /FP16 is only accepted as binary/)
  })

  it('checks binary sizes against the shape and the body', async () => {
    const header = json({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }] })
    await rejects(() => parseInferRequest(Buffer.concat([header, Buffer.alloc(4)]), header.length, LIMITS), /runs past the end/)
    await rejects(() => parseInferRequest(Buffer.concat([header, Buffer.alloc(12)]), header.length, LIMITS), /4 bytes of binary data are not claimed/)
    await rejects(() => parseInferRequest(Buffer.concat([header, Buffer.alloc(8)]), header.length + 100, LIMITS), /out of range/)
    const wrong = json({ inputs: [{ name: 'x', shape: [3], datatype: 'FP32', parameters: { binary_data_size: 8 } }] })
    await rejects(() => parseInferRequest(Buffer.concat([wrong, Buffer.alloc(8)]), wrong.length, LIMITS), /8 bytes given, shape needs 12/)
  })

  it('refuses deep nesting before parsing, duplicate names and malformed JSON', async () => {
    const deep = Buffer.from('{"inputs":' + '['.repeat(10000) + ']'.repeat(10000) + '}')
    expect(jsonDepth(deep)).toBe(10001)
    await rejects(() => parseInferRequest(deep, undefined, LIMITS), /nesting depth exceeds 32/)
    await rejects(() => parseInferRequest(Buffer.from('{"inputs": ['), undefined, LIMITS), /malformed JSON/)
    const twice = { name: 'x', shape: [1], datatype: 'FP32', data: [1] }
    await rejects(() => parseInferRequest(json({ inputs: [twice, twice] }), undefined, LIMITS), /given twice/)
    await rejects(() => parseInferRequest(json({ inputs: [twice], outputs: [{ name: 'y' }, { name: 'y' }] }), undefined, LIMITS), /requested twice/)
  })

  it('reads the header without the data: spans, strings with brackets, scalars, and stops at the first extra element', async () => {
    const body = json({ id: 'q', inputs: [
      { data: [['a]', 'b"['], ['c', '']], name: 's', shape: [2, 2], datatype: 'BYTES' },
      { name: 'n', shape: [], datatype: 'FP64', data: -1.5e-3 },
    ], parameters: { binary_data_output: true } })
    const head = await parseInferHead(body, undefined, LIMITS)
    expect(head.inputs.map((i) => [i.name, i.count, i.source.kind])).toEqual([['s', 4, 'json'], ['n', 1, 'json']])
    const request = await decodeInputs(body, head, LIMITS)
    expect(request.inputs[0]!.data).toEqual(['a]', 'b"[', 'c', ''])
    expect(Array.from(request.inputs[1]!.data as Float64Array)).toEqual([-1.5e-3])
    expect(request).toMatchObject({ id: 'q', binaryDefault: true })
    // A shape of 4 with a million numbers behind it: refused at the fifth.
    const lying = Buffer.from(`{"inputs":[{"name":"x","shape":[4],"datatype":"FP32","data":[${new Array(1_000_000).fill(1).join(',')}]}]}`)
    await rejects(() => parseInferRequest(lying, undefined, LIMITS), /more elements than the shape holds \(4\)/)
    for (const data of ['[1,,2]', '[1 2]', '[[1],]', '[NaN]', '[0x10]', '[1e999]', '[{"a":1}]']) {
      await rejects(() => parseInferRequest(Buffer.from(`{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":${data}}]}`), undefined, LIMITS), /malformed data|not a number|more elements/)
    }
  })

  it('caps BYTES elements and the decoded total across inputs from the header alone', async () => {
    await rejects(() => parseInferRequest(json({ inputs: [{ name: 's', shape: [1001], datatype: 'BYTES', data: [] }] }), undefined, LIMITS), /more than 1000 BYTES elements/)
    const half = (name: string) => ({ name, shape: [100_000], datatype: 'FP64', data: [] })
    await rejects(() => parseInferRequest(json({ inputs: [half('a'), half('b')] }), undefined, LIMITS), /add up to more than the 1048576-byte limit/)
    await rejects(() => parseInferHead(json({ inputs: [half('a')], padding: new Array(200_000).fill(7) }), undefined, LIMITS), /without its tensor data exceeds/)
  })

  it('counts brackets inside strings as text when measuring depth', async () => {
    expect(jsonDepth(Buffer.from('{"a":"[[[[\\"[[["}'))).toBe(1)
  })
})

describe('infer response encoding', () => {
  it('writes JSON outputs and binary outputs after the header', async () => {
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

  it('refuses NaN and Infinity in JSON outputs (JSON would say null) and sends them in binary', async () => {
    const tensor = { name: 'y', datatype: 'FP32' as const, shape: [3], data: new Float32Array([1, NaN, Infinity]) }
    await rejects(() => encodeInferResponse({ modelName: 'm', modelVersion: '1' }, [{ tensor, binary: false }]), /output 'y' holds NaN at element 1, which JSON cannot carry: request it with binary_data/)
    const asBinary = encodeInferResponse({ modelName: 'm', modelVersion: '1' }, [{ tensor, binary: true }])
    expect(asBinary.body.readFloatLE(asBinary.headerLength! + 4)).toBeNaN()
  })
})
