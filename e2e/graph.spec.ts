// The Graph tab end to end on real models: silero VAD's graph (If branches with the weights inside) —
// search a node, open its panel, open the branches in place; then the sample CNN quantized (static int8
// with the per-layer error report) and pruned (structured), with each overlay switched on.
import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { dropFiles, expect, test } from './fixtures'

const JOB_TIMEOUT = 240_000

test.use({ viewport: { width: 1366, height: 768 } })

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/graph-${name}.png` })
}

async function openGraph(page: Page): Promise<void> {
  await page.getByTestId('tab-graph').click()
  await expect(page.getByTestId('graph-status')).toHaveAttribute('data-layout-state', 'ready', { timeout: JOB_TIMEOUT })
}

test('graph of a real model: search a node, its panel, an If opened in place', async ({ app }) => {
  await dropFiles(app, [{ name: 'silero_vad_v5.onnx', bytes: await readFile('test-fixtures/onnx/silero_vad_v5.onnx') }])
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'silero_vad_v5')
  await openGraph(app)
  await expect(app.getByTestId('graph-node').first()).toBeVisible()

  await app.getByTestId('graph-search').fill('If')
  await app.getByTestId('graph-search-result').first().click()
  const panel = app.getByTestId('node-panel')
  await expect(panel).toBeVisible()
  await expect(panel.locator('h2')).toContainText('If')
  const ifId = await panel.getAttribute('data-node-id')
  await expect(panel).toContainText('then_branch')

  // Open the branches in place: their frames and nodes appear inside the If node.
  const ifNode = app.locator(`[data-testid="graph-node"][data-node-id="${ifId}"]`)
  await ifNode.getByTestId('open-subgraph').click()
  await expect(app.locator(`[data-testid="graph-body"][data-body^="${ifId}:"]`).first()).toBeVisible()
  const inner = app.locator(`[data-testid="graph-node"][data-node-id^="${ifId}/"]`)
  await expect(inner.first()).toBeVisible()

  // A node inside a branch found by search, with the statistics of a weight it reads.
  await app.getByTestId('graph-search').fill('Conv')
  await app.getByTestId('graph-search-result').first().click()
  await expect(panel.locator('h2')).toContainText('Conv')
  const stats = panel.getByTestId('weight-stats').first()
  await expect(stats).toContainText('zeros')
  await expect(stats.locator('rect').first()).toBeVisible()
  await screenshot(app, 'silero-if-open')
})

test('overlays on a quantized and a pruned variant', async ({ app }) => {
  test.setTimeout(900_000)
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'digits_cnn (sample)')
  await app.getByTestId('tab-optimize').click()
  const staticCard = app.getByTestId('recipe-static-int8')
  await staticCard.getByTestId('recipe-static-int8-data-input').setInputFiles('resources/sample/digits_calib.npy')
  await expect(staticCard.getByTestId('recipe-static-int8-data')).toHaveAttribute('data-check', 'ok', { timeout: JOB_TIMEOUT })
  await staticCard.getByTestId('recipe-static-int8-preset').first().click()
  await expect(staticCard.getByTestId('recipe-static-int8-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  const pruneCard = app.getByTestId('recipe-structured-prune')
  await pruneCard.getByTestId('recipe-structured-prune-preset').first().click()
  await expect(pruneCard.getByTestId('recipe-structured-prune-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('model-item')).toHaveCount(3)

  // The quantized variant: Q/DQ nodes, int8 nodes coloured by their SQNR, keep-in-float from the panel.
  const variants = app.locator('[data-testid="model-item"]:has(.tree-recipe)')
  await variants.filter({ hasText: /quantize/ }).first().click()
  await openGraph(app)
  await app.getByTestId('overlay-quantization').click()
  await expect(app.locator('[data-testid="graph-node"][data-tone="tone-qdq"]').first()).toBeVisible()
  const measured = app.locator('[data-testid="graph-node"][data-tone^="sqnr-"]')
  await expect(measured.first()).toBeVisible()
  await measured.first().click()
  const panel = app.getByTestId('node-panel')
  await expect(panel.getByTestId('node-overlay-facts')).toContainText('SQNR vs float')
  await expect(panel.getByTestId('node-overlay-facts')).toContainText('int8')
  await expect(panel.getByTestId('keep-float')).toBeEnabled()
  await screenshot(app, 'quantization')

  // Diff against the parent: the Q/DQ nodes the recipe added.
  await app.getByTestId('overlay-diff').click()
  await expect(app.locator('[data-testid="graph-node"][data-tone="tone-added"]').first()).toBeVisible({ timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('graph-legend')).toContainText('added')
  await screenshot(app, 'diff')

  // The pruned variant: channels before → after on the pruned layers, the intact ones with their reason.
  await variants.filter({ hasText: /prune/ }).first().click()
  await openGraph(app)
  await app.getByTestId('overlay-pruning').click()
  const pruned = app.locator('[data-testid="graph-node"][data-tone="tone-pruned"]')
  await expect(pruned.first()).toBeVisible()
  await pruned.first().click()
  await expect(app.getByTestId('node-overlay-facts')).toContainText('output channels')
  await expect(app.locator('[data-testid="graph-node"][data-tone="tone-intact"]').first()).toBeVisible()
  await screenshot(app, 'pruning')
  await app.getByTestId('overlay-diff').click()
  await expect(app.locator('[data-testid="graph-node"][data-tone="tone-changed"]').first()).toBeVisible({ timeout: JOB_TIMEOUT })
})
