// The publish clients against a real Slipway server started in this process: publish, new version,
// rollback, Triton's load API, and the faults a user meets (server down, wrong token, connection cut
// mid-upload, name taken). A small TCP proxy cuts connections to play the dropped network.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../../server/server'
import { digitsInput, localOutputs, MLP_FILE, shiftedMlp } from '../../../server/test-support'
import { writeOnnxModelWithExternalData } from '../onnx/external-data-io'
import { readOnnxModel } from '../onnx/model-file'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { TargetError } from './http-client'
import { publishModel, type PublishRun, type PublishSource } from './publish-model'
import { sourceFromFile } from './publish-source'
import { changeDeployment, listDeployments } from './deployments'
import { SlipwayClient } from './slipway-client'
import type { ResolvedTarget } from './targets'

const ADMIN = 'publish-test-admin-token-0123'
const spawn = (): ReturnType<typeof spawnNodeWorker> => spawnNodeWorker()
let server: RunningServer
let root: string
let shiftedFile: string
let mlpSource: PublishSource
let shiftedSource: PublishSource
const stages: string[] = []
const run: PublishRun = { signal: new AbortController().signal, progress: (_f, stage) => void (stages.at(-1) !== stage && stages.push(stage)) }

function slipwayTarget(url: string, token = ADMIN): ResolvedTarget {
  return { info: { name: url, kind: 'slipway', url, hasToken: true }, token }
}

/** Forwards to `port`; the first `cuts` connections that carry more than `afterBytes` upstream are cut there. */
async function cuttingProxy(port: number, afterBytes: number, cuts: number): Promise<{ url: string; cut: () => number; close: () => Promise<void> }> {
  let done = 0
  const sockets = new Set<Socket>()
  const proxy: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1')
    sockets.add(client).add(upstream)
    let sent = 0
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length
      if (sent > afterBytes && done < cuts) {
        done++
        client.destroy()
        upstream.destroy()
        return
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.on('error', () => undefined)
    upstream.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () => done,
    close: () => {
      sockets.forEach((s) => s.destroy())
      return new Promise((resolve) => proxy.close(() => resolve()))
    },
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-publish-'))
  server = await startServer({ repo: join(root, 'repo'), port: 0, adminToken: ADMIN })
  shiftedFile = join(root, 'mlp-shifted.onnx')
  await writeFile(shiftedFile, await shiftedMlp(0.5))
  // Inspected once: worker processes are slow to start on a loaded machine.
  mlpSource = await sourceFromFile(spawn, MLP_FILE)
  shiftedSource = await sourceFromFile(spawn, shiftedFile)
}, 300_000)

afterAll(async () => {
  await server.close()
  await rm(root, { recursive: true, force: true })
})

describe('publish to a Slipway server', { timeout: 600_000 }, () => {
  it('publishes, smoke-tests, serves; asks when the name is taken; a new version serves; rollback brings the first back', async () => {
    const source = mlpSource
    const first = await publishModel(spawn, source, slipwayTarget(server.url), { target: server.url, name: 'digits' }, run)
    expect(first.version).toBe('1')
    expect(first.smoke?.passed).toBe(true)
    expect(first.smoke?.maxAbsDiff).toBeLessThan(1e-4)
    expect(stages).toEqual(['pre-flight', 'uploading', 'verifying', 'smoke test', 'live'])
    expect(first.sizeBytes).toBe((await stat(MLP_FILE)).size)

    const input = digitsInput(1, 7)
    const client = new SlipwayClient(server.url, ADMIN)
    const feed = { input: { dtype: 'float32', dims: [1, 64], data: input } }
    const served = (await client.infer('digits', undefined, feed)).logits!.data as Float32Array
    const local = await localOutputs(MLP_FILE, input, [1, 64])
    expect(Array.from(served).map((v, i) => Math.abs(v - local[i]!))).toSatisfy((d: number[]) => Math.max(...d) < 1e-4)

    const taken = await publishModel(spawn, source, slipwayTarget(server.url), { target: server.url, name: 'digits' }, run).catch((e: unknown) => e)
    expect(taken).toBeInstanceOf(TargetError)
    expect((taken as TargetError).code).toBe('exists')
    expect((taken as TargetError).message).toMatch(/already exists .*versions 1.*new version, or replace/)

    const shifted = shiftedSource
    const second = await publishModel(spawn, shifted, slipwayTarget(server.url), { target: server.url, name: 'digits', ifExists: 'new-version' }, run)
    expect(second.version).toBe('2')
    const now = (await client.infer('digits', undefined, feed)).logits!.data as Float32Array
    expect(now[0]! - local[0]!).toBeCloseTo(0.5, 4)

    const after = await changeDeployment(slipwayTarget(server.url), { action: 'rollback', model: 'digits' })
    expect(after?.serving).toBe('1')
    const back = (await client.infer('digits', undefined, feed)).logits!.data as Float32Array
    expect(back[0]).toBeCloseTo(local[0]!, 5)
    const list = await listDeployments(slipwayTarget(server.url))
    expect(list.models.find((m) => m.name === 'digits')?.versions.map((v) => v.version)).toEqual(['1', '2'])
    expect(list.models[0]?.versions[0]?.lineage).toEqual({ file: MLP_FILE })
  })

  it('publishes a model with external data: side files to Slipway and to a folder, refused for Triton', async () => {
    const dir = join(root, 'external')
    await mkdir(dir)
    const file = join(dir, 'mlp.onnx')
    await writeOnnxModelWithExternalData(file, (await readOnnxModel(MLP_FILE)).model, { location: 'weights.bin' })
    const source = await sourceFromFile(spawn, file)
    expect(source.fileCount).toBe(2)
    const published = await publishModel(spawn, source, slipwayTarget(server.url), { target: server.url, name: 'external' }, run)
    expect(published.smoke?.passed).toBe(true)
    expect(await readFile(join(root, 'repo', 'external', '1', 'weights.bin'))).toEqual(await readFile(join(dir, 'weights.bin')))
    const out = join(root, 'export')
    await publishModel(spawn, source, { info: { name: out, kind: 'folder', dir: out, format: 'triton', hasToken: false } }, { target: out, name: 'external' }, run)
    expect((await readdir(join(out, 'external', '1'))).sort()).toEqual(['model.onnx', 'slipway.json', 'weights.bin'])
    const triton = { info: { name: 'triton', kind: 'triton' as const, url: server.url, hasToken: true }, token: ADMIN }
    await expect(publishModel(spawn, source, triton, { target: 'triton', name: 'external' }, run)).rejects.toThrow(/Triton's load request cannot carry/)
  })

  it('server down: a clear error, and nothing published', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as { port: number }).port
    await new Promise((resolve) => probe.close(resolve))
    const source = mlpSource
    const error = await publishModel(spawn, source, slipwayTarget(`http://127.0.0.1:${port}`), { target: 'x', name: 'down' }, run).catch((e: unknown) => e)
    expect((error as TargetError).code).toBe('unreachable')
    expect((error as Error).message).toContain(`cannot reach http://127.0.0.1:${port}`)
    expect((error as Error).message).toContain('connection refused')
  })

  it('wrong token: says so, before any upload', async () => {
    const source = mlpSource
    const error = await publishModel(spawn, source, slipwayTarget(server.url, 'not-the-token-at-all'), { target: 'x', name: 'wrongtoken' }, run).catch((e: unknown) => e)
    expect((error as TargetError).code).toBe('auth')
    expect((error as Error).message).toMatch(/refused the token \(401/)
    expect((error as Error).message).not.toContain('not-the-token-at-all')
    expect(await new SlipwayClient(server.url, ADMIN).describe('wrongtoken')).toBeUndefined()
  })

  it('connection cut mid-upload: the retry publishes exactly one version', async () => {
    const proxy = await cuttingProxy(Number(new URL(server.url).port), 30_000, 1)
    try {
      const source = mlpSource
      const result = await publishModel(spawn, source, slipwayTarget(proxy.url), { target: proxy.url, name: 'resumed' }, run)
      expect(proxy.cut()).toBe(1)
      // At least the one retry the cut forces; a loaded machine may time out one more attempt.
      expect(result.attempts).toBeGreaterThanOrEqual(2)
      const model = await new SlipwayClient(server.url, ADMIN).describe('resumed')
      expect(model?.versions.map((v) => v.version)).toEqual(['1'])
    } finally {
      await proxy.close()
    }
  })

  it('connection cut on every try: fails cleanly, the server shows no partial version', async () => {
    const proxy = await cuttingProxy(Number(new URL(server.url).port), 30_000, 100)
    try {
      const source = mlpSource
      const error = await publishModel(spawn, source, slipwayTarget(proxy.url), { target: proxy.url, name: 'cutoff' }, run).catch((e: unknown) => e)
      expect((error as TargetError).code).toBe('unreachable')
      expect((error as Error).message).toMatch(/connection was cut.*gave up after 4 tries.*no partial version/)
      expect(await new SlipwayClient(server.url, ADMIN).describe('cutoff')).toBeUndefined()
      // The server removes a cut upload's staging folder once its side of the socket errors.
      const staging = join(root, '.repo.slipway', 'staging')
      await expect.poll(() => readdir(staging).catch(() => []), { timeout: 30_000 }).toEqual([])
    } finally {
      await proxy.close()
    }
  })
})

describe('publish to Triton (explicit model control: the load API with file overrides)', { timeout: 300_000 }, () => {
  it('loads through the repository extension and smoke-tests the version', async () => {
    const source = mlpSource
    const target: ResolvedTarget = { info: { name: 'triton', kind: 'triton', url: server.url, hasToken: true }, token: ADMIN }
    const result = await publishModel(spawn, source, target, { target: 'triton', name: 'viatriton' }, run)
    expect(result.version).toBe('1')
    expect(result.smoke?.passed).toBe(true)
    const rows = (await listDeployments(target)).models.find((m) => m.name === 'viatriton')
    expect(rows?.state).toBe('READY')
  })
})
