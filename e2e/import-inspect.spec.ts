import { readFile } from 'node:fs/promises'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { dropFiles, expect, test } from './fixtures'

test('first run shows the sample model with its inspection', async ({ app }) => {
  const page = app.getByTestId('model-page')
  await expect(page).toHaveAttribute('data-model-name', 'digits_cnn (sample)')
  const inputs = app.getByTestId('inputs-table').getByTestId('tensor-row')
  await expect(inputs).toHaveCount(1)
  await expect(inputs.first()).toContainText('input')
  await expect(inputs.first()).toContainText('float32')
  await expect(inputs.first()).toContainText('1, 8, 8]')
  await expect(app.getByTestId('outputs-table')).toContainText('logits')
  await expect(app.getByTestId('runtime-check')).toHaveAttribute('data-loads', 'true')
  await expect(app.getByTestId('op-histogram')).toBeVisible()
  expect(Number(await app.getByTestId('op-histogram').getAttribute('data-ops'))).toBeGreaterThanOrEqual(4)
})

test('drop a second model, read its inspection, and see a clear error for a bad file', async ({ app, workbench }) => {
  const mlp = await readFile('test-fixtures/onnx/digits_mlp.onnx')
  await dropFiles(app, [{ name: 'digits_mlp.onnx', bytes: mlp }])
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'digits_mlp')
  await expect(app.getByTestId('model-item')).toHaveCount(2)
  await expect(app.getByTestId('inputs-table')).toContainText('64]')
  await expect(app.getByTestId('op-histogram')).toBeVisible()
  await expect(app.getByTestId('stat-size')).toHaveAttribute('data-value', String(mlp.length))
  // 64·128 + 128 + 128·64 + 64 + 64·10 + 10 weights and biases of its three Gemm layers.
  await expect(app.getByTestId('stat-parameters')).toHaveAttribute('data-value', '17226')
  await app.getByTestId('model-page').screenshot({ path: 'test-results/screenshots/model-page.png' })
  await app.screenshot({ path: 'test-results/screenshots/workbench.png' })

  const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))
  await dropFiles(app, [{ name: 'broken.onnx', bytes: garbage }])
  const error = app.getByTestId('notice-error')
  await expect(error).toContainText('broken.onnx')
  await expect(error).not.toContainText('    at ')
  await expect(error).not.toContainText('staging')
  await expect(error).not.toContainText(workbench.workspaceDir)
  await expect(error.getByTestId('message-line')).toHaveCount(1)
  await expect(app.getByTestId('model-item')).toHaveCount(2)
  // The workspace holds exactly the two good models: the bad file left nothing behind.
  expect(await readdir(join(workbench.workspaceDir, 'models'))).toHaveLength(2)
})
