// Data belongs to a model: a model the sample's data does not fit opens with no data chosen (and no red
// error), a file that fits is suggested and says so, each model keeps its own choice across a switch and a
// reload. And the Overview says why MACs are n/a, estimates them with a size the user gives, and warns
// about a zoo export's fixed batch and old opset.
import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { dropFiles, expect, test } from './fixtures'

const CHECK_TIMEOUT = 60_000

test.use({ viewport: { width: 1366, height: 768 } })

async function importFixture(page: Page, file: string, name: string): Promise<void> {
  await dropFiles(page, [{ name: `${name}.onnx`, bytes: await readFile(`test-fixtures/onnx/${file}`) }])
  await expect(page.getByTestId('model-page')).toHaveAttribute('data-model-name', name)
}

async function open(page: Page, name: string, tab: string): Promise<void> {
  await page.getByTestId('model-item').filter({ hasText: name }).first().click()
  await expect(page.getByTestId('model-page')).toHaveAttribute('data-model-name', name)
  await page.getByTestId(`tab-${tab}`).click()
}

test('data choices are per model: none that does not fit, a fitting one suggested, choices kept across a reload', async ({ app }) => {
  test.setTimeout(240_000)
  await importFixture(app, 'mnist-8.onnx', 'mnist-8')

  // The Overview of a 2018 zoo export warns about its fixed batch, IR 3 and opset 8.
  for (const code of ['fixed-batch', 'dated-ir-version', 'dated-opset']) await expect(app.locator(`[data-testid="warning"][data-code="${code}"]`)).toHaveCount(1)

  // The sample's 8×8 digits do not fit a 28×28 model: nothing chosen, no error, presets say why they wait.
  await app.getByTestId('tab-optimize').click()
  const calib = app.getByTestId('recipe-static-int8-data')
  await expect(calib).toHaveAttribute('data-choice', 'none', { timeout: CHECK_TIMEOUT })
  await expect(calib).toHaveAttribute('data-check', 'none')
  await expect(app.getByTestId('recipe-static-int8-data-select')).toHaveValue('')
  await expect(app.getByTestId('recipe-static-int8-data-check')).toHaveCount(0)
  await expect(app.getByTestId('recipe-static-int8-preset').first()).toHaveAttribute('title', 'Choose calibration data first')

  // Adding a file that fits chooses it for the model's calibration (the tuner's too); its evaluation
  // inputs, not chosen yet, are suggested the file because it fits.
  await app.getByTestId('recipe-static-int8-data-input').setInputFiles('test-fixtures/data/mnist_1k_x.npy')
  await expect(calib).toHaveAttribute('data-choice', 'chosen')
  await expect(calib).toHaveAttribute('data-check', 'ok', { timeout: CHECK_TIMEOUT })
  await expect(app.getByTestId('recipe-static-int8-preset').first()).toBeEnabled()
  const evaluation = app.getByTestId('tune-data')
  await expect(evaluation).toHaveAttribute('data-choice', 'suggested', { timeout: CHECK_TIMEOUT })
  await expect(app.getByTestId('tune-data-suggested')).toHaveText('Suggested: fits input Input3 [1, 1, 28, 28] · 1000 rows')
  await expect(app.getByTestId('tune-calib-select')).toHaveValue(/mnist_1k_x\.npy$/)
  // The user clears the suggested evaluation inputs: a choice too, kept like the others, with no suggestion.
  await app.getByTestId('tune-data-select').selectOption('')
  await expect(evaluation).toHaveAttribute('data-choice', 'chosen')
  await expect(app.getByTestId('tune-data-suggested')).toHaveCount(0)

  // The sample keeps its own data, suggested because it fits.
  await open(app, 'digits_cnn (sample)', 'optimize')
  await expect(calib).toHaveAttribute('data-choice', 'suggested', { timeout: CHECK_TIMEOUT })
  await expect(app.getByTestId('recipe-static-int8-data-select')).toHaveValue(/digits_calib\.npy$/)
  await expect(calib).toHaveAttribute('data-check', 'ok', { timeout: CHECK_TIMEOUT })

  // Back on mnist-8, and after a reload: its choices, not the sample's.
  await open(app, 'mnist-8', 'optimize')
  await expect(app.getByTestId('recipe-static-int8-data-select')).toHaveValue(/mnist_1k_x\.npy$/)
  await app.reload()
  await open(app, 'mnist-8', 'optimize')
  await expect(calib).toHaveAttribute('data-choice', 'chosen')
  await expect(app.getByTestId('recipe-static-int8-data-select')).toHaveValue(/mnist_1k_x\.npy$/)
  await expect(calib).toHaveAttribute('data-check', 'ok', { timeout: CHECK_TIMEOUT })
  await expect(evaluation).toHaveAttribute('data-choice', 'chosen')
  await expect(app.getByTestId('tune-data-select')).toHaveValue('')
  await open(app, 'digits_cnn (sample)', 'optimize')
  await expect(app.getByTestId('recipe-static-int8-data-select')).toHaveValue(/digits_calib\.npy$/)
})

test('the Overview says which dims make MACs n/a and estimates them with a size given', async ({ app }) => {
  test.setTimeout(120_000)
  await importFixture(app, 'paddle_style_ocr_rec_opset9.onnx', 'paddle_ocr')
  await expect(app.getByTestId('stat-macs')).toHaveText('n/a')
  const explain = app.getByTestId('macs-explain')
  await expect(explain).toContainText('these are dynamic')
  await expect(explain).toContainText('x · dim 3 p2o.DynamicDimension.1')
  await expect(app.getByTestId('macs-try')).toBeDisabled()
  await app.getByTestId('macs-size-0').fill('320')
  await app.getByTestId('macs-try').click()
  // The engine's estimate for a 16×320 text line (five times that of width 64, checked in the unit tests).
  await expect(app.getByTestId('macs-try-result')).toHaveAttribute('data-value', '2959360', { timeout: CHECK_TIMEOUT })
  await expect(app.getByTestId('macs-try-result')).toContainText('2.96 M MACs per sample with these sizes')
})
