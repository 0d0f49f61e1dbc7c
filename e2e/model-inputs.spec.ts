// Models whose inputs must be described before they run: an OCR-style text-line recognizer with a dynamic
// height and width, and a silero-style voice-activity detector whose sample rate must be 16000. The user
// sets them in the Model inputs panel and benchmarks each; the engine feeds exactly what the panel says.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { textLineModel } from '../main/core/bench/text-line-model'
import { encodeModel } from '../main/core/onnx/codec'
import { dropFiles, expect, test } from './fixtures'

const JOB_TIMEOUT = 120_000

test.use({ viewport: { width: 1366, height: 768 } })

const field = (page: Page, testId: string, input: string): Locator => page.locator(`[data-testid="${testId}"][data-input="${input}"]`)

/** The benchmark report stored with the model named `name`: the shapes the worker actually fed. */
async function storedBenchmarkInputs(workspaceDir: string, name: string): Promise<number[][]> {
  for (const id of await readdir(join(workspaceDir, 'models'))) {
    const entry = JSON.parse(await readFile(join(workspaceDir, 'models', id, 'entry.json'), 'utf8')) as { name: string }
    if (entry.name !== name) continue
    const results = (await readdir(join(workspaceDir, 'models', id, 'results'))).filter((f) => f.startsWith('benchmark-')).sort()
    const report = JSON.parse(await readFile(join(workspaceDir, 'models', id, 'results', results.at(-1) ?? ''), 'utf8')) as {
      results: { inputs: { shape: number[] }[] }[]
    }
    return report.results[0]?.inputs.map((input) => input.shape) ?? []
  }
  throw new Error(`no model named ${name}`)
}

async function benchmarkOnce(page: Page): Promise<void> {
  await page.getByTestId('bench-batches').fill('1')
  await page.getByTestId('bench-iterations').fill('20')
  await page.getByTestId('bench-run').click()
}

test('describe dynamic and meaningful inputs in the panel, then benchmark', async ({ app, workbench }) => {
  test.setTimeout(300_000)

  // An OCR-style model: the panel proposes an image size for its dynamic height and width.
  await dropFiles(app, [{ name: 'text_line.onnx', bytes: Buffer.from(encodeModel(textLineModel())) }])
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'text_line')
  await app.getByTestId('tab-benchmark').click()
  const panel = app.getByTestId('inputs-panel')
  await expect(field(app, 'input-shape', 'x')).toHaveValue('1×3×224×224')
  await expect(panel).toHaveAttribute('data-state', 'saved')
  // A text line is short and wide: the user says so, and a fixed dim cannot be changed by mistake.
  await field(app, 'input-shape', 'x').fill('1×4×32×320')
  await field(app, 'input-shape', 'x').press('Enter')
  await expect(field(app, 'input-problem', 'x')).toContainText('Fixed dims must stay')
  await expect(panel).toHaveAttribute('data-state', 'invalid')
  await field(app, 'input-shape', 'x').fill('1×3×32×320')
  await field(app, 'input-shape', 'x').press('Enter')
  await expect(panel).toHaveAttribute('data-state', 'saved')
  await benchmarkOnce(app)
  await expect(app.getByTestId('bench-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('bench-row')).toHaveCount(1)
  expect(await storedBenchmarkInputs(workbench.workspaceDir, 'text_line')).toEqual([[1, 3, 32, 320]])

  // A voice-activity detector: audio, a recurrent state, and a sample rate that must be 16000.
  await dropFiles(app, [{ name: 'silero_vad_v5.onnx', bytes: await readFile('test-fixtures/onnx/silero_vad_v5.onnx') }])
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'silero_vad_v5')
  await app.getByTestId('tab-benchmark').click()
  await expect(field(app, 'input-shape', 'input')).toHaveValue('1×512')
  await expect(field(app, 'input-shape', 'state')).toHaveValue('2×1×128')
  await expect(field(app, 'input-values-kind', 'sr')).toHaveValue('fixed')
  await expect(field(app, 'input-value', 'sr')).toHaveValue('16000')
  await expect(panel).toHaveAttribute('data-state', 'saved')
  await panel.screenshot({ path: 'test-results/screenshots/model-inputs.png' })

  // With a random sample rate the model fails; the panel points at 'sr' in its own words.
  await field(app, 'input-values-kind', 'sr').selectOption('random')
  await expect(panel).toHaveAttribute('data-state', 'saved')
  await benchmarkOnce(app)
  await expect(app.getByTestId('bench-job')).toHaveAttribute('data-job-state', 'failed', { timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('bench-job')).toContainText("'sr' (int64 scalar: random values 0…9)")
  await expect(app.getByTestId('bench-job')).toContainText('Set them under Model inputs')
  await expect(app.getByTestId('bench-job')).not.toContainText('--')
  // In the job tray: one line in the UI's words, ONNX Runtime's own text behind a closed disclosure.
  const failed = app.locator('[data-testid="job"][data-job-state="failed"]').last()
  const line = failed.getByTestId('message-line')
  await expect(line).toContainText('the model fails to run on these inputs')
  expect(await line.textContent()).not.toContain('\n')
  const details = failed.getByTestId('message-details')
  await expect(details).not.toHaveAttribute('open')
  await details.locator('summary').click()
  await expect(details.locator('li')).not.toHaveCount(0)
  const trayText = (await failed.textContent()) ?? ''
  expect(trayText).not.toMatch(/(^|\s|\()--[a-z]/)
  expect(trayText).not.toContain(workbench.workspaceDir)
  await expect(field(app, 'input-problem', 'sr')).toBeVisible()
  await app.screenshot({ path: 'test-results/screenshots/model-inputs-problem.png' })

  await field(app, 'input-values-kind', 'sr').selectOption('fixed')
  await field(app, 'input-value', 'sr').fill('16000')
  await field(app, 'input-value', 'sr').press('Enter')
  await expect(panel).toHaveAttribute('data-state', 'saved')
  await expect(field(app, 'input-problem', 'sr')).toHaveCount(0)
  await benchmarkOnce(app)
  await expect(app.getByTestId('bench-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  expect(await storedBenchmarkInputs(workbench.workspaceDir, 'silero_vad_v5')).toEqual([[1, 512], [2, 1, 128], []])

  // The spec is remembered per model: back on the text-line model, its own shape is there.
  await app.locator('[data-testid="model-item"][data-model-name="text_line"]').click()
  await app.getByTestId('tab-benchmark').click()
  await expect(field(app, 'input-shape', 'x')).toHaveValue('1×3×32×320')
})
