// Protocol conformance against a running server: outputs are compared with a local ONNX Runtime session.
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from './server'
import {
  batchingConfig,
  binaryInferBody,
  binaryOutput,
  digitsInput,
  localOutputs,
  makeRepo,
  json,
  MLP_FILE,
} from './test-support'

const ADMIN = 'admin-token-0123456789'
let server: RunningServer
let cleanup: () => Promise<void>

beforeAll(async () => {
  // A 20 ms window: with the whole suite loading both cores, 24 concurrent requests arrived more than
  // 200 µs apart and none were merged, so the merging test failed on timing, not on the batcher.
  const repo = await makeRepo(batchingConfig(20_000))
  cleanup = repo.cleanup
  server = await startServer({ repo: repo.repo, port: 0, adminToken: ADMIN })
})

afterAll(async () => {
  await server.close()
  await cleanup()
})

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 4)
}

describe('health and metadata', () => {
  it('answers live, ready, server and model metadata', async () => {
    expect((await fetch(`${server.url}/v2/health/live`)).status).toBe(200)
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200)
    const meta = await json(fetch(`${server.url}/v2`))
    expect(meta.extensions).toContain('binary_tensor_data')
    expect(meta.extensions).toContain('model_repository')
    const model = await json(fetch(`${server.url}/v2/models/mlp`))
    expect(model).toEqual({
      name: 'mlp',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 64] }],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    })
    expect((await fetch(`${server.url}/v2/models/mlp/versions/1/ready`)).status).toBe(200)
    expect((await fetch(`${server.url}/v2/models/mlp/versions/2/ready`)).status).toBe(404)
    const missing = await fetch(`${server.url}/v2/models/nope`)
    expect(missing.status).toBe(404)
    expect(await json(missing)).toEqual({ error: "unknown model 'nope'" })
  })

  it('returns the model config in Triton JSON form', async () => {
    const config = await json(fetch(`${server.url}/v2/models/mlp/config`))
    expect(config.max_batch_size).toBe(64)
    expect(config.dynamic_batching).toEqual({ preferred_batch_size: [], max_queue_delay_microseconds: 20_000 })
    expect(config.input).toEqual([{ name: 'input', data_type: 'TYPE_FP32', dims: [64] }])
  })
})

describe('inference', () => {
  it('answers JSON infer with the outputs local ONNX Runtime computes', async () => {
    const input = digitsInput(3)
    const response = await fetch(`${server.url}/v2/models/mlp/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'r1', inputs: [{ name: 'input', shape: [3, 64], datatype: 'FP32', data: Array.from(input) }] }),
    })
    expect(response.status).toBe(200)
    const body = await json(response)
    expect(body.id).toBe('r1')
    expect(body.model_version).toBe('1')
    expect(body.outputs[0].shape).toEqual([3, 10])
    expectClose(body.outputs[0].data, await localOutputs(MLP_FILE, input, [3, 64]))
  })

  it('answers binary infer with binary outputs equal to local outputs', async () => {
    const input = digitsInput(2, 7)
    const { body, headerLength } = binaryInferBody(input, [2, 64])
    const response = await fetch(`${server.url}/v2/models/mlp/versions/1/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
      body,
    })
    expect(response.status).toBe(200)
    const length = Number(response.headers.get('inference-header-content-length'))
    const out = binaryOutput(Buffer.from(await response.arrayBuffer()), length)
    expect((out.header['outputs'] as { parameters: unknown }[])[0]!.parameters).toEqual({ binary_data_size: 80 })
    expectClose(out.data, await localOutputs(MLP_FILE, input, [2, 64]))
  })

  it('accepts a raw binary body (header length 0) as a batch of one', async () => {
    const input = digitsInput(1, 3)
    const response = await fetch(`${server.url}/v2/models/mlp/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': '0' },
      body: Buffer.from(input.buffer),
    })
    expect(response.status).toBe(200)
    const out = binaryOutput(Buffer.from(await response.arrayBuffer()), Number(response.headers.get('inference-header-content-length')))
    expectClose(out.data, await localOutputs(MLP_FILE, input, [1, 64]))
  })

  it('keeps concurrent requests apart when the batcher merges them', async () => {
    const inputs = Array.from({ length: 24 }, (_, i) => digitsInput(1 + (i % 3), 100 + i))
    const responses = await Promise.all(
      inputs.map((input) =>
        fetch(`${server.url}/v2/models/mlp/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ inputs: [{ name: 'input', shape: [input.length / 64, 64], datatype: 'FP32', data: Array.from(input) }] }),
        }).then(json),
      ),
    )
    for (let i = 0; i < inputs.length; i++) {
      expectClose(responses[i].outputs[0].data, await localOutputs(MLP_FILE, inputs[i]!, [inputs[i]!.length / 64, 64]))
    }
    const stats = await json(fetch(`${server.url}/v2/models/mlp/versions/1/stats`))
    const stat = stats.model_stats[0]
    expect(stat.execution_count).toBeLessThan(stat.inference_stats.success.count)
  })

  it('refuses inputs that do not match the model with 400 and the input name', async () => {
    const send = (inputs: unknown) =>
      fetch(`${server.url}/v2/models/mlp/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs }) })
    const wrongDim = await send([{ name: 'input', shape: [1, 63], datatype: 'FP32', data: new Array(63).fill(0) }])
    expect(wrongDim.status).toBe(400)
    expect(await json(wrongDim)).toEqual({ error: "input 'input': dim 1 must be 64" })
    expect((await send([{ name: 'input', shape: [1, 64], datatype: 'FP64', data: new Array(64).fill(0) }])).status).toBe(400)
    expect((await send([{ name: 'other', shape: [1, 64], datatype: 'FP32', data: new Array(64).fill(0) }])).status).toBe(400)
    expect((await send([{ name: 'input', shape: [65, 64], datatype: 'FP32', data: new Array(65 * 64).fill(0) }])).status).toBe(400)
  })
})

describe('statistics and metrics', () => {
  it('exposes Triton metric names with model and version labels', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text()
    for (const name of [
      'nv_inference_request_success',
      'nv_inference_request_failure',
      'nv_inference_count',
      'nv_inference_exec_count',
      'nv_inference_request_duration_us',
      'nv_inference_queue_duration_us',
      'nv_inference_compute_infer_duration_us',
      'nv_inference_pending_request_count',
      'slipway_inference_request_duration_ms_bucket',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(name)
    }
    expect(text).toMatch(/nv_inference_request_success\{model="mlp",version="1"\} [1-9]/)
    expect(text).toMatch(/nv_inference_request_failure\{model="mlp",version="1",reason="OTHER"\} [1-9]/)
  })
})

describe('repository extension', () => {
  const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }

  it('indexes, unloads and reloads a model', async () => {
    const index = await json(fetch(`${server.url}/v2/repository/index`, { method: 'POST', headers: admin }))
    expect(index).toEqual([{ name: 'mlp', version: '1', state: 'READY', reason: '' }])
    expect((await fetch(`${server.url}/v2/repository/models/mlp/unload`, { method: 'POST', headers: admin })).status).toBe(200)
    expect((await fetch(`${server.url}/v2/models/mlp/ready`)).status).toBe(503)
    const after = await json(fetch(`${server.url}/v2/repository/index`, { method: 'POST', headers: admin, body: '{"ready":false}' }))
    expect(after).toEqual([{ name: 'mlp', state: 'UNAVAILABLE', reason: 'unloaded' }])
    expect((await fetch(`${server.url}/v2/repository/models/mlp/load`, { method: 'POST', headers: admin })).status).toBe(200)
    expect((await fetch(`${server.url}/v2/models/mlp/ready`)).status).toBe(200)
  })

  it('loads a new model from config and file overrides, as Triton clients send them', async () => {
    const bytes = await readFile(MLP_FILE)
    const response = await fetch(`${server.url}/v2/repository/models/mlp2/load`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ parameters: { config: JSON.stringify({ backend: 'onnxruntime', max_batch_size: 8 }), 'file:1/model.onnx': bytes.toString('base64') } }),
    })
    expect(response.status).toBe(200)
    const input = digitsInput(1, 9)
    const out = await json(fetch(`${server.url}/v2/models/mlp2/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: Array.from(input) }] }),
      }))
    expectClose(out.outputs[0].data, await localOutputs(MLP_FILE, input, [1, 64]))
  })

  it('refuses traversal in file overrides and model names, touching nothing', async () => {
    const bad = async (name: string, key: string) =>
      fetch(`${server.url}/v2/repository/models/${name}/load`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ parameters: { config: '{}', [key]: 'AAAA' } }),
      })
    for (const key of ['file:1/../../etc/passwd', 'file:../1/model.onnx', 'file:1//etc/passwd', 'file:01/model.onnx', 'file:1/sub/model.onnx']) {
      const response = await bad('mlp3', key)
      expect(response.status).toBe(400)
      expect((await json(response)).error).toMatch(/^file override:/)
    }
    for (const name of ['..', '%2e%2e', 'a%2F..%2Fb', '.hidden', '%20..']) {
      // Names that decode to a slash never match a route (404); the rest fail name validation (400).
      expect([400, 404]).toContain((await bad(name, 'file:1/model.onnx')).status)
    }
    const index = await json(fetch(`${server.url}/v2/repository/index`, { method: 'POST', headers: admin }))
    expect(index.map((row: { name: string }) => row.name)).toEqual(['mlp', 'mlp2'])
  })
})
