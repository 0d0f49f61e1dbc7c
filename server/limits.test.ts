// Hostile requests, one per limit: each gets its status, and the server still answers /v2/health/live.
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from './server'
import { BATCHING_CONFIG, digitsInput, json, makeRepo, shiftedMlp, upload } from './test-support'

const ADMIN = 'admin-token-0123456789'
const INFER = 'infer-token-0123456789'
let server: RunningServer
let root: string
let cleanup: () => Promise<void>
const port = () => Number(new URL(server.url).port)

beforeAll(async () => {
  const repo = await makeRepo(BATCHING_CONFIG)
  root = repo.root
  cleanup = repo.cleanup
  server = await startServer({
    repo: repo.repo,
    port: 0,
    adminToken: ADMIN,
    inferToken: INFER,
    maxBodyBytes: 64 * 1024,
    maxJsonBodyBytes: 64 * 1024,
    headersTimeoutMs: 500,
  })
})

afterAll(async () => {
  await server.close()
  await cleanup()
})

const infer = { authorization: `Bearer ${INFER}`, 'content-type': 'application/json' }
const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }

async function expectAlive(): Promise<void> {
  expect((await fetch(`${server.url}/v2/health/live`)).status).toBe(200)
}

function inferBody(batch = 1): string {
  return JSON.stringify({ inputs: [{ name: 'input', shape: [batch, 64], datatype: 'FP32', data: Array.from(digitsInput(batch)) }] })
}

/** A raw HTTP exchange, for requests fetch will not send (bad Host, huge headers, lying lengths). */
function rawExchange(text: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port(), '127.0.0.1')
    let received = ''
    socket.on('data', (d) => (received += d.toString('latin1')))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.setTimeout(timeoutMs, () => {
      socket.destroy()
      resolve(received)
    })
    socket.write(text)
  })
}

describe('authentication', () => {
  it('needs the inference token for inference and metadata, not for health', async () => {
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200)
    const none = await fetch(`${server.url}/v2/models/mlp/infer`, { method: 'POST', body: inferBody(), headers: { 'content-type': 'application/json' } })
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    expect((await fetch(`${server.url}/v2/models/mlp`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401)
    expect((await fetch(`${server.url}/v2/models/mlp?token=${INFER}`)).status).toBe(401)
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
    expect((await fetch(`${server.url}/v2/models/mlp/infer`, { method: 'POST', body: inferBody(), headers: infer })).status).toBe(200)
  })

  it('keeps the inference token out of the management API', async () => {
    expect((await fetch(`${server.url}/v2/repository/index`, { method: 'POST', headers: infer })).status).toBe(401)
    expect((await fetch(`${server.url}/slipway/models`, { headers: { authorization: `Basic ${ADMIN}` } })).status).toBe(401)
    expect((await fetch(`${server.url}/slipway/models`, { headers: admin })).status).toBe(200)
  })

  it('refuses a foreign Host (DNS rebinding) and management calls from web pages', async () => {
    const rebind = await rawExchange(`GET /slipway/models HTTP/1.1\r\nHost: evil.example:${port()}\r\nAuthorization: Bearer ${ADMIN}\r\nConnection: close\r\n\r\n`)
    expect(rebind).toMatch(/^HTTP\/1.1 403/)
    expect(rebind).toContain('Host header not allowed')
    const page = await fetch(`${server.url}/slipway/models`, { headers: { ...admin, origin: 'https://evil.example' } })
    expect(page.status).toBe(403)
  })

  it('disables the management API when no admin token is configured', async () => {
    const repo = await makeRepo()
    const open = await startServer({ repo: repo.repo, port: 0 })
    try {
      const response = await fetch(`${open.url}/slipway/models`, { headers: { authorization: 'Bearer anything-at-all-123' } })
      expect(response.status).toBe(403)
      expect((await json(response)).error).toMatch(/management API is disabled/)
    } finally {
      await open.close()
      await repo.cleanup()
    }
  })

  it('refuses to serve beyond loopback without an inference token', async () => {
    await expect(startServer({ repo: join(root, 'unused'), host: '0.0.0.0', port: 0 })).rejects.toThrow(/without a token/)
  })
})

describe('request limits', () => {
  it('answers 413 to a body over the limit, by Content-Length and when chunked', async () => {
    const big = JSON.stringify({ inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: new Array(20000).fill(0.5) }] })
    const declared = await fetch(`${server.url}/v2/models/mlp/infer`, { method: 'POST', headers: infer, body: big })
    expect(declared.status).toBe(413)
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ port: port(), method: 'POST', path: '/v2/models/mlp/infer', headers: { ...infer, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      for (let i = 0; i < 100; i++) req.write(Buffer.alloc(1024, 0x20))
      req.end()
    })
    expect(chunked).toBe(413)
    await expectAlive()
  })

  it('refuses an out-of-range Inference-Header-Content-Length', async () => {
    const response = await fetch(`${server.url}/v2/models/mlp/infer`, {
      method: 'POST',
      headers: { ...infer, 'content-type': 'application/octet-stream', 'inference-header-content-length': '99999999999' },
      body: inferBody(),
    })
    expect(response.status).toBe(400)
    expect((await json(response)).error).toBe('Inference-Header-Content-Length is out of range')
    await expectAlive()
  })

  it('refuses data declared as a wider type than it is before allocating', async () => {
    const body = JSON.stringify({ inputs: [{ name: 'input', shape: [1, 1_000_000_000], datatype: 'INT64', data: [1] }] })
    const response = await fetch(`${server.url}/v2/models/mlp/infer`, { method: 'POST', headers: infer, body })
    expect(response.status).toBe(400)
    expect((await json(response)).error).toBe("input 'input': datatype INT64 given, model expects FP32")
    await expectAlive()
  })

  it('answers 431 to oversized headers and 415 to compressed bodies', async () => {
    const huge = await rawExchange(`GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\nConnection: close\r\n\r\n`)
    expect(huge).toMatch(/^HTTP\/1.1 431/)
    const gzip = await fetch(`${server.url}/v2/models/mlp/infer`, { method: 'POST', headers: { ...infer, 'content-encoding': 'gzip' }, body: inferBody() })
    expect(gzip.status).toBe(415)
    await expectAlive()
  })

  it('closes a connection whose headers never finish (slowloris)', async () => {
    const started = Date.now()
    const received = await rawExchange('GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1', 8000)
    const elapsed = Date.now() - started
    expect(elapsed).toBeLessThan(4000)
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true)
  })
})

describe('fuzzing', () => {
  it('answers every route and method with malformed bodies without a 5xx other than 503', async () => {
    const paths = [
      '/v2', '/v2/models/mlp', '/v2/models/mlp/versions/1', '/v2/models/mlp/ready', '/v2/models/mlp/infer',
      '/v2/models/mlp/versions/1/infer', '/v2/models/mlp/config', '/v2/models/stats', '/v2/models/mlp/stats',
      '/v2/repository/index', '/v2/repository/models/mlp/load', '/v2/repository/models/fuzz/load',
      '/slipway/models', '/slipway/models/mlp', '/slipway/models/mlp/promote', '/slipway/models/mlp/rollback',
      '/slipway/models/mlp/canary', '/slipway/models/mlp/versions', '/slipway/models/mlp/versions/1',
      '/slipway/models/mlp/versions/1/drift', '/v2/models/%00/infer', '/v2/models/mlp/versions/0/infer',
    ]
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    const bodies = [
      () => Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256))),
      () => Buffer.from('{"inputs":[{"name":"input","shape":[1,64],"datatype":"FP32","data":' + '['.repeat(40) + ']'.repeat(40) + '}]}'),
      () => Buffer.from(JSON.stringify({ inputs: [{ name: 'input', shape: [random() * 1e12, -1], datatype: 'FP32', data: [1] }] })),
      () => Buffer.from(JSON.stringify({ parameters: { config: '{"max_batch_size":-3}', 'file:1/model.onnx': '!!' }, version: -1 })),
      () => Buffer.from('{"__proto__":{"polluted":1},"version":"1","percent":1e309}'),
    ]
    const statuses: number[] = []
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const body = method === 'GET' ? undefined : bodies[Math.floor(random() * bodies.length)]!()
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${ADMIN}`,
            'content-type': random() < 0.5 ? 'application/json' : 'application/octet-stream',
            ...(random() < 0.3 ? { 'inference-header-content-length': String(Math.floor(random() * 100)) } : {}),
            ...(path.endsWith('/versions') ? { 'slipway-metadata-length': String(Math.floor(random() * 50)) } : {}),
          },
          ...(body ? { body } : {}),
        })
        await response.arrayBuffer()
        statuses.push(response.status)
      }
    }
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    await expectAlive()
    expect((await fetch(`${server.url}/v2/models/mlp/ready`, { headers: infer })).status).toBe(200)
  })
})

describe('error messages', () => {
  it('never reveal server paths, even for a model whose file changed on disk', async () => {
    const published = await upload(server.url, ADMIN, 'tampered', await shiftedMlp(1))
    expect(published.status).toBe(201)
    await writeFile(join(root, 'repo', 'tampered', '1', 'model.onnx'), await shiftedMlp(9))
    const restarted = await startServer({ repo: join(root, 'repo'), port: 0, adminToken: ADMIN })
    try {
      const index = await json(fetch(`${restarted.url}/v2/repository/index`, { method: 'POST', headers: admin }))
      expect((await fetch(`${restarted.url}/v2/health/ready`)).status).toBe(400)
      const row = index.find((r: { name: string }) => r.name === 'tampered')
      expect(row).toEqual({ name: 'tampered', state: 'UNAVAILABLE', reason: 'version 1 does not match its recorded sha256 (file changed on disk)' })
      const bodies = [
        JSON.stringify(index),
        await (await fetch(`${restarted.url}/v2/repository/models/tampered/load`, { method: 'POST', headers: admin })).text(),
        await (await fetch(`${restarted.url}/v2/models/tampered/infer`, { method: 'POST', headers: infer, body: inferBody() })).text(),
        await (await fetch(`${restarted.url}/v2/repository/models/nothing/load`, { method: 'POST', headers: admin })).text(),
      ]
      for (const body of bodies) expect(body).not.toContain(root)
    } finally {
      await restarted.close()
    }
  })
})
