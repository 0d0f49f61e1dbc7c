// Managing the workspace from the UI: rename a variant, delete a model with its variants after a
// confirmation that lists what goes; the job tray collapses to one line, clears finished jobs, and at a
// laptop's 1366×768 never covers the page (the Compare table stays reachable).
import { readFile } from 'node:fs/promises'
import type { Locator, Page } from '@playwright/test'
import { api, dropFiles, expect, test } from './fixtures'
import { accessibilityProblems } from './review'

const JOB_TIMEOUT = 240_000

test.use({ viewport: { width: 1366, height: 768 } })

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/model-management-${name}.png` })
}

async function box(locator: Locator): Promise<{ top: number; bottom: number }> {
  const found = await locator.boundingBox()
  if (!found) throw new Error('not laid out')
  return { top: found.y, bottom: found.y + found.height }
}

test('rename a variant, then delete its parent with it after a confirmation that lists what goes', async ({ app, workbench }) => {
  await dropFiles(app, [{ name: 'mnist-8.onnx', bytes: await readFile('test-fixtures/onnx/mnist-8.onnx') }])
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'mnist-8')
  await app.getByTestId('tab-optimize').click()
  const fp16 = app.getByTestId('recipe-fp16')
  await fp16.getByTestId('recipe-fp16-preset').first().click()
  await expect(fp16.getByTestId('recipe-fp16-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  // The sample, mnist-8, and its variant under it.
  const items = app.getByTestId('model-item')
  await expect(items).toHaveCount(3)

  await items.nth(2).click()
  await app.getByTestId('model-rename').click()
  const rename = app.getByTestId('rename-dialog')
  await expect(rename).toBeVisible()
  await expect(rename.getByTestId('rename-input')).toBeFocused()
  expect(await accessibilityProblems(app)).toEqual([])
  await rename.getByTestId('rename-input').fill('mnist half precision')
  await rename.getByTestId('rename-input').press('Enter')
  await expect(rename).toHaveCount(0)
  await expect(app.getByTestId('model-title')).toHaveText('mnist half precision')
  await expect(app.locator('[data-testid="model-item"][data-model-name="mnist half precision"]')).toBeVisible()
  await app.reload()
  await expect(app.locator('[data-testid="model-item"][data-model-name="mnist half precision"]')).toBeVisible()

  await app.locator('[data-testid="model-item"][data-model-name="mnist-8"]').click()
  await app.getByTestId('model-delete').click()
  const confirm = app.getByTestId('delete-dialog')
  await expect(confirm.getByTestId('delete-variants')).toHaveText('1 variant made from it: mnist half precision')
  await expect(confirm.getByTestId('delete-results')).toContainText('0 stored results')
  const models = await api<{ id: string; name: string; sizeBytes: number }[]>(workbench.url, 'listModels', [])
  const going = models.filter((m) => m.name !== 'digits_cnn (sample)')
  expect(going).toHaveLength(2)
  // Its folders hold more than the model files (entry.json), so at least their sizes together.
  const sizeText = (await confirm.getByTestId('delete-size').textContent()) ?? ''
  expect(Number(/([\d.]+) KiB/.exec(sizeText)?.[1]) * 1024).toBeGreaterThan(going.reduce((sum, m) => sum + m.sizeBytes, 0) * 0.99)
  await screenshot(app, 'delete-dialog')
  expect(await accessibilityProblems(app)).toEqual([])
  await confirm.getByTestId('delete-confirm').click()
  await expect(confirm).toHaveCount(0)
  await expect(items).toHaveCount(1)
  await expect(items.first()).toHaveAttribute('data-model-name', 'digits_cnn (sample)')
  await app.reload()
  await expect(app.locator('[data-app-state="ready"]')).toBeVisible()
  await expect(items).toHaveCount(1)
  expect((await api<unknown[]>(workbench.url, 'listModels', [])).length).toBe(1)
})

test('the job tray collapses to one line, clears finished jobs, and never covers the Compare table', async ({ app }) => {
  test.setTimeout(300_000)
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'digits_cnn (sample)')
  await app.getByTestId('tab-optimize').click()
  const prune = app.getByTestId('recipe-structured-prune')
  await prune.getByTestId('recipe-structured-prune-preset').first().click()
  await expect(prune.getByTestId('recipe-structured-prune-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })

  await app.getByTestId('tab-compare').click()
  await expect(app.getByTestId('compare-data')).toHaveAttribute('data-check', 'ok', { timeout: JOB_TIMEOUT })
  await app.getByTestId('compare-timing').fill('1')
  await app.getByTestId('compare-run').click()
  await expect(app.getByTestId('compare-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('compare-row')).toHaveCount(2)

  const tray = app.getByTestId('job-tray')
  await expect(tray.getByTestId('job')).toHaveCount(2)
  await expect(tray.getByTestId('job-tray-summary')).toHaveText('2 done')

  // Expanded, the tray has its own row: the page's last element scrolls into view above it.
  const content = app.locator('main.content')
  await content.evaluate((el) => el.scrollTo(0, el.scrollHeight))
  const lastRow = app.getByTestId('compare-row').last()
  await lastRow.scrollIntoViewIfNeeded()
  const trayTop = (await box(tray)).top
  expect((await box(lastRow)).bottom).toBeLessThanOrEqual(trayTop)
  expect((await box(content)).bottom).toBeLessThanOrEqual(trayTop + 1)
  const pageLast = app.getByTestId('model-page')
  await content.evaluate((el) => el.scrollTo(0, el.scrollHeight))
  expect((await box(pageLast)).bottom).toBeLessThanOrEqual(trayTop)
  await screenshot(app, 'compare-tray-expanded')

  await tray.getByTestId('job-tray-toggle').click()
  await expect(tray).toHaveAttribute('data-collapsed', 'true')
  await expect(tray.getByTestId('job')).toHaveCount(0)
  const collapsed = await box(tray)
  expect(collapsed.bottom - collapsed.top).toBeLessThan(48)
  await content.evaluate((el) => el.scrollTo(0, el.scrollHeight))
  expect((await box(pageLast)).bottom).toBeLessThanOrEqual(collapsed.top)
  await screenshot(app, 'compare-tray-collapsed')
  expect(await accessibilityProblems(app)).toEqual([])

  await tray.getByTestId('job-tray-clear').click()
  await expect(tray).toHaveCount(0)
  await app.reload()
  await expect(app.locator('[data-app-state="ready"]')).toBeVisible()
  await expect(app.getByTestId('job-tray')).toHaveCount(0)
})
