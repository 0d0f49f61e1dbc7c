// The attacks of issue 14, kept as regressions: a published model reading the server's files through
// external data (at any depth, through upload, repository load and the disk), hostile bodies refused
// from their header before any data is decoded, the 413 that must reach the client, uploads timed by
// progress rather than a wall clock, a typo in a load request, and NaN in JSON outputs.
import { request as httpRequest } from 'node:http'
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeModel } from '../main/core/onnx/codec'
import type { ModelProto, NodeProto, TensorProto, ValueInfoProto } from '../main/core/onnx/onnx-types'
import { startServer, type RunningServer } from './server'
import { BATCHING_CONFIG, json, makeRepo, sha256, upload, uploadBody } from './test-support'

const ADMIN = 'admin-token-0123456789'
const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }
let server: RunningServer
let made: Awaited<ReturnType<typeof makeRepo>>

beforeAll(async () => {
  made = await makeRepo(BATCHING_CONFIG)
  server = await startServer({
    repo: made.repo,
    port: 0,
    adminToken: ADMIN,
    maxBodyBytes: 4 * 1024 * 1024,
    maxJsonBodyBytes: 4 * 1024 * 1024,
    requestTimeoutMs: 1200,
    uploadIdleTimeoutMs: 800,
  })
})

afterAll(async () => {
  await server.close()
  await made.cleanup()
})

const io = (name: string, elemType: number, dims: number[]): ValueInfoProto => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
})

/** `size` bytes of UINT8 stored outside the model at `location`. */
function externalTensor(name: string, location: string, size: number): TensorProto {
  return {
    name,
    dims: [size],
    dataType: 2,
    dataLocation: 1,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: '0' },
      { key: 'length', value: String(size) },
    ],
  }
}

/**
 * The exfiltration model: output `leak` is the bytes of the file `location` names, read as a UINT8
 * initializer (or a Constant inside an If branch, `nested`), beside an ordinary input so it can be called.
 */
function leakModel(location: string, size: number, nested = false): Uint8Array {
  const tensor = externalTensor('secret', location, size)
  const leak: NodeProto[] = nested
    ? [
        { opType: 'Constant', output: ['yes'], attribute: [{ name: 'value', type: 4, t: { name: 'yes', dims: [], dataType: 9, int32Data: [1] } }] },
        {
          opType: 'If',
          input: ['yes'],
          output: ['leak'],
          attribute: [
            { name: 'then_branch', type: 5, g: { name: 't', node: [{ opType: 'Constant', output: ['a'], attribute: [{ name: 'value', type: 4, t: tensor }] }], output: [io('a', 2, [size])] } },
            { name: 'else_branch', type: 5, g: { name: 'e', node: [{ opType: 'Constant', output: ['b'], attribute: [{ name: 'value', type: 4, t: { ...tensor, externalData: [], dataLocation: 0, rawData: new Uint8Array(size) } }] }], output: [io('b', 2, [size])] } },
          ],
        },
      ]
    : [{ opType: 'Identity', input: ['secret'], output: ['leak'] }]
  const model: ModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'leak',
      node: [...leak, { opType: 'Identity', input: ['x'], output: ['y'] }],
      ...(nested ? {} : { initializer: [tensor] }),
      input: [io('x', 1, [1])],
      output: [io('leak', 2, [size]), io('y', 1, [1])],
    },
  }
  return encodeModel(model)
}

/** y = x / 0: NaN for 0, ±Infinity otherwise. */
function nanModel(): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'nan',
      node: [{ opType: 'Div', input: ['x', 'zero'], output: ['y'] }],
      initializer: [{ name: 'zero', dims: [], dataType: 1, floatData: [0] }],
      input: [io('x', 1, [2])],
      output: [io('y', 1, [2])],
    },
  })
}

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { ...admin, ...headers }, body })
}

describe('a published model cannot read the server\'s files', () => {
  it('refuses external data outside the version folder at upload, at any depth, with a clear message', async () => {
    const pkg = (await readFile(join(import.meta.dirname, '..', 'package.json'))).length
    // package.json sits in the server's working directory: resolved against it, this would leak it.
    const cases: [Uint8Array, RegExp][] = [
      [leakModel('package.json', pkg), /external data location 'package\.json' is missing/],
      [leakModel('package.json', pkg, true), /external data location 'package\.json' is missing/],
      [leakModel('sub/../package.json', pkg), /'sub\/\.\.\/package\.json' points outside the folder/],
      [leakModel('../../../../../../etc/hostname', 4), /points outside the folder/],
      [leakModel('/etc/hostname', 4), /is an absolute path/],
      [leakModel('C:\\secret.key', 4), /is an absolute path/],
    ]
    for (const [model, message] of cases) {
      const answer = await upload(server.url, ADMIN, 'leak', model)
      expect(answer.status).toBe(400)
      expect(answer.json['error']).toMatch(/^version 1 has external data that is not confined to its version folder: /)
      expect(answer.json['error']).toMatch(message)
      expect(answer.json['error']).not.toContain(made.root)
    }
    const load = await post('/v2/repository/models/leak/load', JSON.stringify({
      parameters: { config: JSON.stringify({ name: 'leak' }), 'file:1/model.onnx': Buffer.from(leakModel('package.json', pkg)).toString('base64') },
    }))
    expect(load.status).toBe(400)
    expect((await json(load)).error).toMatch(/'package\.json' is missing/)
  })

  it('refuses a model placed in the repository whose side file is a link, at start and at load', async () => {
    const dir = join(made.repo, 'linked', '1')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'model.onnx'), leakModel('weights.bin', 16))
    await symlink(join(import.meta.dirname, '..', 'package.json'), join(dir, 'weights.bin'))
    const answer = await post('/v2/repository/models/linked/load', '')
    expect(answer.status).toBe(400)
    expect((await json(answer)).error).toMatch(/'weights\.bin' leads through a symbolic link/)
    const index = await json(post('/v2/repository/index', '{}'))
    expect(index.find((r: { name: string }) => r.name === 'linked')).toMatchObject({ state: 'UNAVAILABLE' })
  })

  it('serves a model whose external data was uploaded with it, read from its own version folder', async () => {
    const weights = Buffer.from('sixteen bytes!!!')
    const model = leakModel('weights/w.bin', weights.length)
    const files = [{ name: 'weights/w.bin', sha256: sha256(weights), size: weights.length }]
    const { body, metadataLength } = uploadBody({ sha256: sha256(model), size: model.length, files }, Buffer.concat([model, weights]))
    const send = (payload: Buffer, headers: Record<string, string> = {}) =>
      post('/slipway/models/side/versions', payload, { 'content-type': 'application/octet-stream', 'slipway-metadata-length': String(metadataLength), ...headers })
    const bad = Buffer.from(body)
    bad[bad.length - 1] = 0
    expect((await json(send(bad))).error).toMatch(/digest mismatch: .* of weights\/w\.bin/)
    const published = await send(body)
    expect(published.status).toBe(201)
    expect(JSON.parse(await readFile(join(made.repo, 'side', '1', 'slipway.json'), 'utf8')).files).toEqual(files)
    const answer = await json(post('/v2/models/side/infer', JSON.stringify({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }], outputs: [{ name: 'leak' }] })))
    expect(Buffer.from(answer.outputs[0].data as number[]).toString()).toBe('sixteen bytes!!!')
    const escape = uploadBody({ sha256: sha256(model), size: model.length, files: [{ ...files[0], name: '../w.bin' }] }, model)
    const refused = await post('/slipway/models/side/versions', escape.body, { 'content-type': 'application/octet-stream', 'slipway-metadata-length': String(escape.metadataLength) })
    expect(refused.status).toBe(400)
    expect((await json(refused)).error).toMatch(/files: each name must be a plain relative path/)
  })
})

describe('hostile bodies', () => {
  const binary = (header: unknown, data: Buffer) => {
    const head = Buffer.from(JSON.stringify(header))
    return post('/v2/models/mlp/infer', Buffer.concat([head, data]), { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(head.length) })
  }

  it('refuses from the header alone: wrong datatype, shape or batch, before decoding a byte of data', async () => {
    const strings = Buffer.alloc(400_000) // 100,000 empty BYTES elements, 4 bytes each
    const count = strings.length / 4
    const bytes = await binary({ inputs: [{ name: 'input', shape: [1, count], datatype: 'BYTES', parameters: { binary_data_size: strings.length } }] }, strings)
    expect(bytes.status).toBe(400)
    expect((await json(bytes)).error).toBe("input 'input': datatype BYTES given, model expects FP32")
    const wide = await post('/v2/models/mlp/infer', JSON.stringify({ inputs: [{ name: 'input', shape: [1, 1_000_000], datatype: 'FP32', data: [0] }] }))
    expect((await json(wide)).error).toBe("input 'input': dim 1 must be 64")
    const batch = await post('/v2/models/mlp/infer', JSON.stringify({ inputs: [{ name: 'input', shape: [65, 64], datatype: 'FP32', data: [0] }] }))
    expect((await json(batch)).error).toBe("input 'input': batch size must be 1..64")
    const lying = `{"inputs":[{"name":"input","shape":[1,64],"datatype":"FP32","data":[${new Array(400_000).fill('0.5').join(',')}]}]}`
    expect((await json(post('/v2/models/mlp/infer', lying))).error).toBe("input 'input': more elements than the shape holds (64)")
  })

  it('answers 413 to a declared length over the limit, readable by the client, and keeps serving', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v2/models/mlp/infer`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(16 * 1024 * 1024) } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end(Buffer.alloc(16 * 1024 * 1024, 0x20))
    })
    expect(status).toBe(413)
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200)
  })

  it('refuses NaN and Infinity in JSON outputs with a message, and sends them in binary', async () => {
    expect((await upload(server.url, ADMIN, 'nan', nanModel())).status).toBe(201)
    const request = { inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [0, 1] }] }
    const asJson = await post('/v2/models/nan/infer', JSON.stringify(request))
    expect(asJson.status).toBe(400)
    expect((await json(asJson)).error).toBe("output 'y' holds NaN at element 0, which JSON cannot carry: request it with binary_data")
    const asBinary = await post('/v2/models/nan/infer', JSON.stringify({ ...request, parameters: { binary_data_output: true } }))
    expect(asBinary.status).toBe(200)
  })
})

describe('timeouts and readiness', () => {
  /** Sends `body` in `parts` pieces `gapMs` apart; resolves with the status. */
  function trickle(path: string, headers: Record<string, string>, body: Buffer, parts: number, gapMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${server.url}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      const size = Math.ceil(body.length / parts)
      const send = (i: number): void => {
        if (i >= parts) return void req.end()
        req.write(body.subarray(i * size, (i + 1) * size))
        setTimeout(() => send(i + 1), gapMs)
      }
      send(0)
    })
  }

  it('times uploads by progress: a slow steady upload outlives the request timeout, a stalled one gets 408', async () => {
    const model = nanModel()
    const { body, metadataLength } = uploadBody({ sha256: sha256(model), size: model.length }, model)
    const headers = { ...admin, 'content-type': 'application/octet-stream', 'slipway-metadata-length': String(metadataLength) }
    expect(await trickle('/slipway/models/slow/versions', headers, body, 6, 400)).toBe(201)
    expect(await trickle('/v2/models/mlp/infer', admin, Buffer.from(JSON.stringify({ inputs: [] })), 6, 400)).toBe(408)
    const stalled = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/slipway/models/slow/versions`, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
        let text = ''
        res.on('data', (d) => (text += String(d)))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
      req.write(body.subarray(0, body.length - 10))
    })
    expect(stalled.status).toBe(408)
    expect(JSON.parse(stalled.text).error).toBe('upload stalled: no bytes for 0.8 s')
  })

  it('keeps readiness as it was when a load names a model that does not exist', async () => {
    const before = (await fetch(`${server.url}/v2/health/ready`)).status
    const ghost = await post('/v2/repository/models/ghost/load', '')
    expect(ghost.status).toBe(400)
    expect((await json(ghost)).error).toBe("model 'ghost' is not in the repository")
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(before)
  })
})
