// Crash safety with a real server process killed by SIGKILL during an upload and during a promote:
// the restarted server serves the previous version, shows no partial version and has cleaned staging.
import { spawn, type ChildProcess } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { configFromPbtxt } from '../main/core/serving/model-config'
import { defaultStateDir } from './repository'
import { startServer } from './server'
import { digitsInput, json, makeRepo, sha256, shiftedMlp, upload, uploadBody } from './test-support'

const ADMIN = 'admin-token-0123456789'
const ROOT = join(import.meta.dirname, '..')
const ENTRY = join(ROOT, 'bin', 'slipway-server.js')
const children: ChildProcess[] = []
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

interface Started {
  child: ChildProcess
  url: string
  output: () => string
}

/** Starts `slipway-server serve` and resolves once it prints its URL. */
async function startProcess(repo: string, tokenFile: string, env: Record<string, string> = {}): Promise<Started> {
  // Node itself runs the server (the bundle, in-process), so SIGKILL reaches the server.
  const child = spawn(process.execPath, [ENTRY, 'serve', '--repo', repo, '--port', '0', '--admin-token-file', tokenFile], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (d) => (output += String(d)))
  child.stderr!.on('data', (d) => (output += String(d)))
  const url = await waitFor(() => /at (http:\/\/\S+)/.exec(output)?.[1], 30_000, () => output)
  return { child, url, output: () => output }
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

async function servedVersion(url: string): Promise<string> {
  const body = await json(
    fetch(`${url}/v2/models/digits/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: Array.from(digitsInput(1)) }] }),
    }),
  )
  return body.model_version
}

/** A repository whose model `digits` has version 1 published (and serving), by an in-process server. */
async function setup(): Promise<{ repo: string; tokenFile: string }> {
  const made = await makeRepo()
  cleanups.push(made.cleanup)
  const tokenFile = join(made.root, 'admin.token')
  await writeFile(tokenFile, ADMIN)
  const server = await startServer({ repo: made.repo, port: 0, adminToken: ADMIN })
  expect((await upload(server.url, ADMIN, 'digits', await shiftedMlp(1))).status).toBe(201)
  await server.close()
  return { repo: made.repo, tokenFile }
}

async function expectRecovered(repo: string, tokenFile: string): Promise<void> {
  const restarted = await startProcess(repo, tokenFile)
  expect(await servedVersion(restarted.url)).toBe('1')
  expect(await readdir(join(defaultStateDir(repo), 'staging'))).toEqual([])
  const entries = await readdir(join(repo, 'digits'))
  expect(entries.filter((e) => e.startsWith('.tmp-'))).toEqual([])
  for (const version of entries.filter((e) => /^\d+$/.test(e))) {
    const record = JSON.parse(await readFile(join(repo, 'digits', version, 'slipway.json'), 'utf8'))
    expect(sha256(await readFile(join(repo, 'digits', version, 'model.onnx')))).toBe(record.sha256)
  }
  await killed(restarted.child)
}

describe('crash safety (SIGKILL)', () => {
  it('killed in the middle of an upload: no version 2, staging cleaned, version 1 serves', async () => {
    const { repo, tokenFile } = await setup()
    const first = await startProcess(repo, tokenFile)
    const model = await shiftedMlp(2)
    const { body, metadataLength } = uploadBody({ sha256: sha256(model), size: model.length }, model)
    const req = httpRequest(`${first.url}/slipway/models/digits/versions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN}`,
        'content-type': 'application/octet-stream',
        'slipway-metadata-length': String(metadataLength),
        'content-length': String(body.length),
      },
    })
    req.on('error', () => undefined)
    req.write(body.subarray(0, body.length / 2))
    const staging = join(defaultStateDir(repo), 'staging')
    await waitFor(async () => ((await readdir(staging)).length > 0 ? true : undefined), 10_000, first.output)
    await killed(first.child)
    req.destroy()
    expect(await readdir(staging)).not.toEqual([])
    expect(await readdir(join(repo, 'digits'))).not.toContain('2')
    await expectRecovered(repo, tokenFile)
    expect(await readdir(join(repo, 'digits'))).not.toContain('2')
  }, 60_000)

  it('killed between installing a version and moving the pointer: version 1 still serves; the retry finishes the promote', async () => {
    const { repo, tokenFile } = await setup()
    const paused = await startProcess(repo, tokenFile, { SLIPWAY_PAUSE_AT: 'version-installed' })
    const model = await shiftedMlp(2)
    const key = { 'idempotency-key': 'promote-v2' }
    void upload(paused.url, ADMIN, 'digits', model, {}, key).catch(() => undefined)
    await waitFor(() => (paused.output().includes('slipway-paused:version-installed') ? true : undefined), 20_000, paused.output)
    await killed(paused.child)
    const config = configFromPbtxt(await readFile(join(repo, 'digits', 'config.pbtxt'), 'utf8'), 'digits')
    expect(config.versionPolicy).toEqual({ kind: 'specific', versions: [1] })
    await expectRecovered(repo, tokenFile)
    // The client retries with the same key: the version it made is promoted, as the original asked.
    const restarted = await startProcess(repo, tokenFile)
    const retry = await upload(restarted.url, ADMIN, 'digits', model, {}, key)
    expect(retry).toMatchObject({ status: 200, json: { version: '2', replayed: true, serving: true } })
    expect(await servedVersion(restarted.url)).toBe('2')
    await killed(restarted.child)
  }, 60_000)

  it('killed after receiving a whole upload but before committing it: nothing published', async () => {
    const { repo, tokenFile } = await setup()
    const paused = await startProcess(repo, tokenFile, { SLIPWAY_PAUSE_AT: 'upload-received' })
    void upload(paused.url, ADMIN, 'digits', await shiftedMlp(2)).catch(() => undefined)
    await waitFor(() => (paused.output().includes('slipway-paused:upload-received') ? true : undefined), 20_000, paused.output)
    await killed(paused.child)
    await expectRecovered(repo, tokenFile)
    expect(await readdir(join(repo, 'digits'))).not.toContain('2')
  }, 60_000)
})
