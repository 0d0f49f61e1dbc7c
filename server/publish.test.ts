// The publishing lifecycle: upload, digest check, idempotency, promote, rollback, canary, delete, drift,
// and the repository staying in Triton's layout throughout.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromPbtxt } from '../main/core/serving/model-config'
import { defaultStateDir } from './repository'
import { startServer, type RunningServer } from './server'
import { digitsInput, json, localOutputs, makeRepo, MLP_FILE, sha256, shiftedMlp, upload, uploadBody } from './test-support'

const ADMIN = 'admin-token-0123456789'
let server: RunningServer
let repo: string
let cleanup: () => Promise<void>
let mlp: Buffer
let expected: Float32Array
const input = digitsInput(1, 42)

beforeAll(async () => {
  const made = await makeRepo()
  repo = made.repo
  cleanup = made.cleanup
  server = await startServer({ repo, port: 0, adminToken: ADMIN })
  mlp = await readFile(MLP_FILE)
  expected = await localOutputs(MLP_FILE, input, [1, 64])
})

afterAll(async () => {
  await server.close()
  await cleanup()
})

const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }

/** The first logit of the digits input, from whichever version serves `path`. */
async function firstLogit(model: string, version?: string): Promise<{ value: number; version: string }> {
  const path = version ? `/v2/models/${model}/versions/${version}/infer` : `/v2/models/${model}/infer`
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: Array.from(input) }] }),
  })
  const body = await json(response)
  return { value: body.outputs[0].data[0], version: body.model_version }
}

async function post(path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) })
}

async function readConfig(name: string) {
  return configFromPbtxt(await readFile(join(repo, name, 'config.pbtxt'), 'utf8'), name)
}

describe('publishing', () => {
  it('creates a model from its first upload, in Triton layout, with the version record', async () => {
    const { status, json } = await upload(server.url, ADMIN, 'digits', mlp, { lineage: { parent: 'digits_mlp', recipe: 'none' } })
    expect(status).toBe(201)
    expect(json).toMatchObject({ model: 'digits', version: '1', sha256: sha256(mlp), size: mlp.length, serving: true, replayed: false })
    expect((await readdir(join(repo, 'digits'))).sort()).toEqual(['1', 'config.pbtxt'])
    expect((await readdir(join(repo, 'digits', '1'))).sort()).toEqual(['model.onnx', 'slipway.json'])
    expect((await readConfig('digits')).versionPolicy).toEqual({ kind: 'specific', versions: [1] })
    const record = JSON.parse(await readFile(join(repo, 'digits', '1', 'slipway.json'), 'utf8'))
    expect(record.lineage).toEqual({ parent: 'digits_mlp', recipe: 'none' })
    expect((await firstLogit('digits')).value).toBeCloseTo(expected[0]!, 4)
  })

  it('refuses a body whose sha256 differs from the declared one, leaving nothing behind', async () => {
    const corrupt = Buffer.from(mlp)
    corrupt[1000] = corrupt[1000]! ^ 1
    const { body, metadataLength } = uploadBody({ sha256: sha256(mlp) }, corrupt)
    const response = await fetch(`${server.url}/slipway/models/digits/versions`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/octet-stream', 'slipway-metadata-length': String(metadataLength) },
      body,
    })
    expect(response.status).toBe(400)
    expect((await json(response)).error).toMatch(/^digest mismatch/)
    expect(await readdir(join(repo, 'digits'))).not.toContain('2')
    expect(await readdir(join(defaultStateDir(repo), 'staging'))).toEqual([])
  })

  it('refuses a model that fails to load, keeping the serving version', async () => {
    const garbage = Buffer.from('not an onnx model at all')
    const { status, json } = await upload(server.url, ADMIN, 'digits', garbage)
    expect(status).toBe(400)
    expect(json['error']).toMatch(/^version 2 is not a valid ONNX model: /)
    expect(await readdir(join(repo, 'digits'))).not.toContain('2')
    expect((await firstLogit('digits')).version).toBe('1')
  })

  it('publishes a retried upload with the same Idempotency-Key once', async () => {
    const v2 = await shiftedMlp(1)
    const first = await upload(server.url, ADMIN, 'digits', v2, {}, { 'idempotency-key': 'publish-v2' })
    const again = await upload(server.url, ADMIN, 'digits', v2, {}, { 'idempotency-key': 'publish-v2' })
    expect(first.status).toBe(201)
    expect(again.status).toBe(200)
    expect(again.json).toMatchObject({ version: first.json['version'], replayed: true })
    const other = await upload(server.url, ADMIN, 'digits', await shiftedMlp(5), {}, { 'idempotency-key': 'publish-v2' })
    expect(other.status).toBe(422)
    expect(await readdir(join(repo, 'digits'))).not.toContain('3')
    const served = await firstLogit('digits')
    expect(served.version).toBe('2')
    expect(served.value).toBeCloseTo(expected[0]! + 1, 4)
  })

  it('rolls back to the previous version and promotes again by moving the pointer', async () => {
    const rolled = await post('/slipway/models/digits/rollback')
    expect(await json(rolled)).toEqual({ model: 'digits', serving: '1' })
    expect((await firstLogit('digits')).version).toBe('1')
    expect((await readConfig('digits')).versionPolicy).toEqual({ kind: 'specific', versions: [1] })
    expect((await post('/slipway/models/digits/promote', { version: '2' })).status).toBe(200)
    expect((await firstLogit('digits')).version).toBe('2')
    expect((await post('/slipway/models/digits/promote', { version: '9' })).status).toBe(404)
  })

  it('uploads without promoting, then splits traffic by canary percentage', async () => {
    const staged = await upload(server.url, ADMIN, 'digits', await shiftedMlp(2), { promote: false })
    expect(staged.json).toMatchObject({ version: '3', serving: false })
    expect((await firstLogit('digits')).version).toBe('2')
    const canary = await fetch(`${server.url}/slipway/models/digits/canary`, { method: 'PUT', headers: admin, body: JSON.stringify({ version: 3, percent: 30 }) })
    expect(canary.status).toBe(200)
    expect((await readConfig('digits')).versionPolicy).toEqual({ kind: 'specific', versions: [2, 3] })
    const seen = { '2': 0, '3': 0 } as Record<string, number>
    for (let i = 0; i < 200; i++) seen[(await firstLogit('digits')).version]!++
    // 30% of 200 is 60; binomial sd is 6.5, so 30..90 is far outside chance.
    expect(seen['3']).toBeGreaterThan(30)
    expect(seen['3']).toBeLessThan(90)
    expect(seen['2']! + seen['3']!).toBe(200)
    expect((await firstLogit('digits', '3')).value).toBeCloseTo(expected[0]! + 2, 4)
    const described = await json(fetch(`${server.url}/slipway/models/digits`, { headers: admin }))
    expect(described.canary).toEqual({ version: '3', percent: 30 })
    expect(described.serving).toBe('2')
    await fetch(`${server.url}/slipway/models/digits/canary`, { method: 'DELETE', headers: admin })
    for (let i = 0; i < 20; i++) expect((await firstLogit('digits')).version).toBe('2')
  })

  it('deletes only versions that do not serve, and never reuses their numbers', async () => {
    expect((await fetch(`${server.url}/slipway/models/digits/versions/2`, { method: 'DELETE', headers: admin })).status).toBe(409)
    expect((await fetch(`${server.url}/slipway/models/digits/versions/3`, { method: 'DELETE', headers: admin })).status).toBe(200)
    expect(await readdir(join(repo, 'digits'))).not.toContain('3')
    const fourth = await upload(server.url, ADMIN, 'digits', await shiftedMlp(3))
    expect(fourth.json['version']).toBe('4')
    const list = await json(fetch(`${server.url}/slipway/models`, { headers: admin }))
    expect(list.models.find((m: { name: string }) => m.name === 'digits')).toEqual({ name: 'digits', state: 'READY', serving: '4', versions: ['1', '2', '4'] })
  })

  it('serializes concurrent publishes of one model into distinct, complete versions', async () => {
    const models = await Promise.all([shiftedMlp(10), shiftedMlp(20), shiftedMlp(30)])
    const results = await Promise.all(models.map((m) => upload(server.url, ADMIN, 'parallel', m)))
    expect(results.map((r) => r.status)).toEqual([201, 201, 201])
    expect(results.map((r) => r.json['version']).sort()).toEqual(['1', '2', '3'])
    for (const r of results) {
      const version = String(r.json['version'])
      const bytes = await readFile(join(repo, 'parallel', version, 'model.onnx'))
      expect(sha256(bytes)).toBe(r.json['sha256'])
    }
  })

  it('answers every request in flight while the serving version changes', async () => {
    const before = (await firstLogit('digits')).version
    const inflight = Array.from({ length: 200 }, () => firstLogit('digits'))
    const promoted = await post('/slipway/models/digits/promote', { version: '1' })
    const answers = await Promise.all(inflight)
    expect(promoted.status).toBe(200)
    expect(answers.every((a) => a.version === before || a.version === '1')).toBe(true)
    expect((await firstLogit('digits')).version).toBe('1')
  })

  it('reports input drift against the statistics uploaded with the version', async () => {
    const inputStats = { input: { edges: [0, 0.25, 0.5, 0.75, 1], fractions: [0.25, 0.25, 0.25, 0.25] } }
    const published = await upload(server.url, ADMIN, 'drifty', mlp, { inputStats })
    const path = `/slipway/models/drifty/versions/${String(published.json['version'])}/drift`
    for (let i = 0; i < 5; i++) await firstLogit('drifty')
    const calm = await json(fetch(`${server.url}${path}`, { headers: admin }))
    expect(calm.inputs.input.samples).toBe(320)
    expect(calm.inputs.input.psi).toBeLessThan(0.1)
    const shifted = new Float32Array(64).fill(0.95)
    for (let i = 0; i < 20; i++) {
      await fetch(`${server.url}/v2/models/drifty/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: Array.from(shifted) }] }),
      })
    }
    const drifted = await json(fetch(`${server.url}${path}`, { headers: admin }))
    expect(drifted.inputs.input.psi).toBeGreaterThan(0.25)
  })
})
