// Every datatype through a running server: an Identity model per type, JSON where the protocol allows it
// and binary always, with the values read back equal to those sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeModel } from '../main/core/onnx/codec'
import { DATATYPES, type Datatype } from '../main/core/serving/datatypes'
import { startServer, type RunningServer } from './server'
import { json, makeRepo } from './test-support'

const ADMIN = 'admin-token-0123456789'
const ONNX_TYPE: Record<Datatype, number> = {
  FP32: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, BYTES: 8, BOOL: 9, FP16: 10, FP64: 11, UINT32: 12, UINT64: 13,
}
const SAMPLES: Record<Datatype, unknown[]> = {
  BOOL: [true, false, true],
  UINT8: [0, 7, 255],
  UINT16: [0, 513, 65535],
  UINT32: [0, 70000, 4294967295],
  UINT64: [0, 1, 2 ** 40],
  INT8: [-128, 0, 127],
  INT16: [-32768, 5, 32767],
  INT32: [-(2 ** 31), 9, 2 ** 31 - 1],
  INT64: [-(2 ** 40), 0, 2 ** 40],
  FP16: [1, -2, 0.5],
  FP32: [1.5, -2.25, 1e-3],
  FP64: [Math.PI, -1e300, 0],
  BYTES: ['héllo', '', 'x'],
}

function identityModel(type: number): Uint8Array {
  const io = (name: string) => ({ name, type: { tensorType: { elemType: type, shape: { dim: [{ dimValue: 3 }] } } } })
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'identity', node: [{ opType: 'Identity', input: ['x'], output: ['y'] }], input: [io('x')], output: [io('y')] },
  })
}

/** Little-endian bytes of the samples, as the binary extension carries them. */
function binaryOf(datatype: Datatype, values: unknown[]): Buffer {
  if (datatype === 'BYTES') {
    return Buffer.concat((values as string[]).flatMap((s) => {
      const bytes = Buffer.from(s, 'utf8')
      const length = Buffer.alloc(4)
      length.writeUInt32LE(bytes.length)
      return [length, bytes]
    }))
  }
  if (datatype === 'FP16') return Buffer.from(new Uint16Array([0x3c00, 0xc000, 0x3800]).buffer)
  const array = DATATYPES[datatype].make(values.length) as ArrayLike<unknown> & { buffer: ArrayBuffer; [i: number]: unknown }
  values.forEach((v, i) => (array[i] = array instanceof BigInt64Array || array instanceof BigUint64Array ? BigInt(v as number) : datatype === 'BOOL' ? (v ? 1 : 0) : v))
  return Buffer.from(array.buffer)
}

let server: RunningServer
let cleanup: () => Promise<void>

beforeAll(async () => {
  const made = await makeRepo()
  cleanup = made.cleanup
  server = await startServer({ repo: made.repo, port: 0, adminToken: ADMIN })
  for (const datatype of Object.keys(SAMPLES) as Datatype[]) {
    const name = `id_${datatype.toLowerCase()}`
    const response = await fetch(`${server.url}/v2/repository/models/${name}/load`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ parameters: { config: '{}', 'file:1/model.onnx': Buffer.from(identityModel(ONNX_TYPE[datatype])).toString('base64') } }),
    })
    expect(response.status, `${datatype}: ${await response.text()}`).toBe(200)
  }
})

afterAll(async () => {
  await server.close()
  await cleanup()
})

describe('datatypes end to end', () => {
  for (const datatype of Object.keys(SAMPLES) as Datatype[]) {
    it(`${datatype}: binary in, binary out, bytes unchanged`, async () => {
      const bytes = binaryOf(datatype, SAMPLES[datatype])
      const header = Buffer.from(JSON.stringify({
        inputs: [{ name: 'x', shape: [3], datatype, parameters: { binary_data_size: bytes.length } }],
        parameters: { binary_data_output: true },
      }))
      const response = await fetch(`${server.url}/v2/models/id_${datatype.toLowerCase()}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
        body: Buffer.concat([header, bytes]),
      })
      expect(response.status).toBe(200)
      const body = Buffer.from(await response.arrayBuffer())
      const length = Number(response.headers.get('inference-header-content-length'))
      const meta = JSON.parse(body.subarray(0, length).toString())
      expect(meta.outputs[0]).toMatchObject({ name: 'y', datatype, shape: [3] })
      expect(body.subarray(length).equals(bytes)).toBe(true)
    })

    if (datatype !== 'FP16') {
      it(`${datatype}: JSON in, JSON out, values unchanged`, async () => {
        const out = await json(fetch(`${server.url}/v2/models/id_${datatype.toLowerCase()}/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ inputs: [{ name: 'x', shape: [3], datatype, data: SAMPLES[datatype] }] }),
        }))
        const expected = datatype === 'FP32' ? Array.from(new Float32Array(SAMPLES.FP32 as number[])) : SAMPLES[datatype]
        expect(out.outputs[0].data).toEqual(expected)
      })
    }
  }

  it('refuses FP16 data in JSON, as Triton does', async () => {
    const response = await fetch(`${server.url}/v2/models/id_fp16/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'x', shape: [3], datatype: 'FP16', data: [1, 2, 3] }] }),
    })
    expect(response.status).toBe(400)
    expect((await json(response)).error).toBe("input 'x': FP16 is only accepted as binary data")
  })
})
