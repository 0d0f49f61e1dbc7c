// One-click publish end to end: a real `slipway serve` on loopback, the sample's int8 variant published
// from its page, the endpoint called over HTTP (same answer as ONNX Runtime locally), a second version
// published after the app asks, a rollback from the Deployments view, and the first answer again.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import type { Page } from '@playwright/test'
import { api, expect, test } from './fixtures'
import { reviewScreen } from './review'

const JOB_TIMEOUT = 300_000
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef'
/** One 8x8 digit-like image, deterministic. */
const INPUT = Float32Array.from({ length: 64 }, (_, i) => ((i * 7) % 17) / 16)

interface Served {
  readonly url: string
  readonly process: ChildProcess
  readonly dir: string
}

async function startServe(): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-e2e-serve-'))
  await writeFile(join(dir, 'token'), ADMIN_TOKEN, { mode: 0o600 })
  const child = spawn(process.execPath, ['bin/slipway.js', 'serve', '--repo', join(dir, 'repo'), '--port', '0', '--admin-token-file', join(dir, 'token')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    let err = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = / at (http:\/\/\S+)/.exec(out)
      if (match) resolve(match[1] as string)
    })
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('exit', (code) => reject(new Error(`slipway serve exited with ${code}: ${err}`)))
  })
  return { url, process: child, dir }
}

async function served(url: string): Promise<number[]> {
  const response = await fetch(`${url}/v2/models/digits/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 1, 8, 8], datatype: 'FP32', data: Array.from(INPUT) }] }),
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { outputs: { name: string; data: number[] }[] }
  return body.outputs.find((o) => o.name === 'logits')?.data ?? []
}

async function local(file: string): Promise<number[]> {
  const session = await ort.InferenceSession.create(file)
  const result = await session.run({ input: new ort.Tensor('float32', INPUT, [1, 1, 8, 8]) })
  await session.release()
  return Array.from(result['logits']?.data as Float32Array)
}

function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length)
  expect(Math.max(...actual.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-4)
}

async function publishFromPage(app: Page, modelName: string): Promise<void> {
  await app.locator(`[data-testid="model-item"][data-model-name="${modelName}"]`).click()
  await app.getByTestId('publish-open').click()
  await expect(app.getByTestId('publish-target')).toBeVisible()
  await app.getByTestId('publish-name').fill('digits')
  await app.getByTestId('publish-start').click()
}

let server: Served

test.beforeAll(async () => {
  server = await startServe()
})

test.afterAll(async () => {
  server.process.kill('SIGTERM')
  await new Promise((resolve) => server.process.once('exit', resolve))
  await rm(server.dir, { recursive: true, force: true })
})

test('publish the int8 variant, call it, publish a second version, roll back', async ({ app, workbench }) => {
  test.setTimeout(900_000)
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'digits_cnn (sample)')

  // The int8 variant, made through the API the UI uses.
  const [sample] = await api<{ id: string; name: string }[]>(workbench.url, 'listModels', [])
  const jobId = await api<string>(workbench.url, 'startJob', [{ kind: 'quantize', modelId: sample!.id, options: { mode: 'dynamic' } }])
  await expect
    .poll(async () => (await api<{ id: string; state: string }[]>(workbench.url, 'listJobs', [])).find((j) => j.id === jobId)?.state, { timeout: JOB_TIMEOUT })
    .toBe('succeeded')
  const models = await api<{ id: string; name: string; mainFile: string }[]>(workbench.url, 'listModels', [])
  const int8 = models.find((m) => m.name.includes('quantize'))!
  const int8File = join(workbench.workspaceDir, 'models', int8.id, int8.mainFile)
  const floatFile = join(workbench.workspaceDir, 'models', sample!.id, models.find((m) => m.id === sample!.id)!.mainFile)
  await expect(app.locator(`[data-testid="model-item"][data-model-name="${int8.name}"]`)).toBeVisible()

  // The target, added once in the UI with its token (which never comes back to the page).
  await app.locator(`[data-testid="model-item"][data-model-name="${int8.name}"]`).click()
  await app.getByTestId('publish-open').click()
  await app.getByTestId('target-name').fill('local')
  await app.getByTestId('target-url').fill(server.url)
  await app.getByTestId('target-token').fill(ADMIN_TOKEN)
  await app.getByTestId('target-add').click()
  await expect(app.getByTestId('publish-target')).toHaveValue('local')
  expect(await app.content()).not.toContain(ADMIN_TOKEN)

  // One click: version 1, with the endpoint and examples.
  await app.getByTestId('publish-name').fill('digits')
  await app.getByTestId('publish-start').click()
  await expect(app.getByTestId('publish-result')).toHaveAttribute('data-version', '1', { timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('publish-endpoint')).toHaveText(`${server.url}/v2/models/digits/infer`)
  await expect(app.getByTestId('example-curl')).toContainText('curl -s -X POST')
  await expect(app.getByTestId('example-python')).toContainText('tritonclient')
  await app.screenshot({ path: 'test-results/screenshots/publish-result.png' })
  const int8Answer = await local(int8File)
  expectClose(await served(server.url), int8Answer)

  // The float model under the same name: the app asks, the user picks a new version.
  await app.getByRole('button', { name: 'Close' }).click()
  await publishFromPage(app, sample!.name)
  await app.getByTestId('publish-new-version').click()
  await expect(app.getByTestId('publish-result')).toHaveAttribute('data-version', '2', { timeout: JOB_TIMEOUT })
  const floatAnswer = await local(floatFile)
  expectClose(await served(server.url), floatAnswer)
  expect(Math.max(...floatAnswer.map((v, i) => Math.abs(v - (int8Answer[i] as number))))).toBeGreaterThan(1e-4)

  // Roll back from the Deployments view: version 1 serves, and answers as before.
  await app.getByRole('button', { name: 'Close' }).click()
  await app.getByTestId('deployments-open').click()
  const card = app.getByTestId('deployment-digits')
  await expect(card).toHaveAttribute('data-serving', '2')
  await expect(card.getByTestId('version-1')).toContainText('quantize dynamic')
  await card.getByTestId('rollback').click()
  await card.getByTestId('confirm-yes').click()
  await expect(card).toHaveAttribute('data-serving', '1')
  expectClose(await served(server.url), int8Answer)
  await expect(card.getByTestId('live-metrics')).toContainText('requests', { timeout: 30_000 })
  await app.screenshot({ path: 'test-results/screenshots/deployments.png' })
  await reviewScreen(app, 'deployments')
})
