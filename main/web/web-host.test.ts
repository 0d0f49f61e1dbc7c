import { mkdtemp, mkdir, readdir, writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppService, type AppService } from '../core/app-service'
import { spawnNodeWorker } from '../core/worker/spawn-node-worker'
import { startWebHost, type WebHost } from './web-host'

let host: WebHost
let staging: string
let service: AppService
let staticDir: string

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-web-'))
  staticDir = join(dir, 'static')
  await mkdir(staticDir)
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>t</title>')
  service = await createAppService({ workspaceDir: join(dir, 'ws'), host: 'browser', spawnWorker: spawnNodeWorker })
  host = await startWebHost({ service, staticDir })
  staging = join(service.workspace.dir, 'staging')
})

afterAll(() => host.close())

/** A raw request, so that Host and Origin can be set as a hostile page would. */
function post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, host.origin)
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

describe('browser host', () => {
  it('answers a call with the token', async () => {
    const reply = await post('/api/listModels', { 'x-slipway-token': host.token }, { args: [] })
    expect(reply).toEqual({ status: 200, body: { result: [] } })
  })

  it('refuses a call without the token or with a wrong one', async () => {
    expect((await post('/api/listModels', {}, { args: [] })).status).toBe(401)
    expect((await post('/api/listModels', { 'x-slipway-token': 'x' + host.token.slice(1) }, { args: [] })).status).toBe(401)
  })

  it('refuses a request from another origin even with the token', async () => {
    const reply = await post('/api/listModels', { 'x-slipway-token': host.token, origin: 'http://evil.example' }, { args: [] })
    expect(reply.status).toBe(403)
  })

  it('refuses a rebound Host name', async () => {
    const reply = await post('/api/listModels', { 'x-slipway-token': host.token, host: 'evil.example:80' }, { args: [] })
    expect(reply.status).toBe(403)
  })

  it('validates arguments and returns errors as plain data', async () => {
    const reply = await post('/api/getModel', { 'x-slipway-token': host.token }, { args: [42] })
    expect(reply.status).toBe(400)
    expect(reply.body).toMatchObject({ error: { name: 'UserError', message: expect.stringMatching(/invalid arguments for getModel/) } })
    const missing = await post('/api/getModel', { 'x-slipway-token': host.token }, { args: ['nope'] })
    expect(missing.body).toEqual({ error: { name: 'UserError', message: 'no model with id "nope"' } })
  })

  it('has no generic entry point: unknown calls are 404', async () => {
    expect((await post('/api/constructor', { 'x-slipway-token': host.token }, { args: [] })).status).toBe(404)
  })

  it('drops an upload whose file is refused, so nothing of it stays in staging', async () => {
    const created = await post('/upload', { 'x-slipway-token': host.token }, {})
    const { uploadId } = created.body as { uploadId: string }
    expect(await readdir(staging)).toEqual([uploadId])
    const refused = await new Promise<number>((resolve, reject) => {
      // A raw path: new URL() would resolve the dots away before the host saw them.
      const { hostname, port } = new URL(host.origin)
      const path = `/upload/${uploadId}/a/../../escape.onnx`
      const req = request({ hostname, port, path, method: 'PUT', headers: { 'x-slipway-token': host.token, 'content-type': 'application/octet-stream' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.end('bytes')
    })
    expect(refused).toBe(400)
    expect(await readdir(staging)).toEqual([])
  })
})

describe('stopping the browser host', () => {
  it('does not wait for an open page that never answers: its event socket is cut', { timeout: 10_000 }, async () => {
    const own = await startWebHost({ service, staticDir })
    const { hostname, port } = new URL(own.origin)
    // A page's event socket, upgraded by hand and then never read again: it will not answer a closing handshake.
    const socket = connect(Number(port), hostname)
    socket.write(
      `GET /events?token=${own.token} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    )
    const [answer] = (await once(socket, 'data')) as [Buffer]
    expect(answer.toString()).toMatch(/^HTTP\/1\.1 101 /)
    socket.pause()
    const cut = once(socket, 'close')
    await own.close()
    await cut
  })
})
