// "Find the best variant" on the sample model with real engines: the search shows live (candidates on the
// chart and in the table as they finish, the log saying what was dropped and why), keeps its candidates as
// variants, and ends with a recommendation within the limit.
import { expect, test } from './fixtures'

const JOB_TIMEOUT = 300_000

// Tall enough for the screenshot to show the chart, the candidates and the log.
test.use({ viewport: { width: 1400, height: 1500 } })

test('find the best variant of the sample under a 1-point accuracy budget', async ({ app }) => {
  test.setTimeout(600_000)
  await app.getByTestId('tab-optimize').click()
  const panel = app.getByTestId('tune-panel')
  // The sample's evaluation split, labels and calibration set are chosen once they check out against the model.
  await expect(panel.getByTestId('tune-data')).toHaveAttribute('data-check', 'ok', { timeout: JOB_TIMEOUT })
  await expect(panel.getByTestId('tune-labels-select')).toHaveValue(/digits_test_y\.npy$/)
  await expect(panel.getByTestId('tune-calib')).toHaveAttribute('data-check', 'ok', { timeout: JOB_TIMEOUT })
  await panel.getByTestId('tune-max-drop').fill('1')
  // A small budget: a few candidates, then the survivors side by side and the session settings.
  await panel.getByTestId('tune-budget').fill('10')
  await panel.getByTestId('tune-run').click()

  // Live: the first measured candidate is on the chart while the search still runs.
  const measured = panel.locator('[data-testid="tune-candidate"][data-status="done"]')
  await expect(measured.first()).toBeVisible({ timeout: JOB_TIMEOUT })
  await expect(panel.getByTestId('tune-job')).toHaveAttribute('data-job-state', 'running')
  await expect(panel.getByTestId('tune-chart').locator('svg')).toBeVisible()

  await expect(panel.getByTestId('tune-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  // The log says what was left out and why: int4 has no MatMul here, and the budget cut the rest short.
  await expect(panel.locator('[data-testid="tune-log"] li[data-kind="dropped"]').filter({ hasText: 'MatMul' })).toHaveCount(1)
  await expect(panel.locator('[data-testid="tune-log"] li[data-kind="tried"]').first()).toBeVisible()
  const recommended = panel.getByTestId('tune-recommended')
  await expect(recommended).toBeVisible()
  const name = await recommended.getAttribute('data-model-name')
  expect(name).toBeTruthy()
  // The pick is a model of the workspace: the sample itself or one of the variants the search kept.
  await expect(app.locator(`[data-testid="model-item"][data-model-name="${name}"]`)).toBeVisible()
  // Every measured candidate was kept as a variant.
  const made = await measured.count()
  await expect.poll(() => app.getByTestId('model-item').count()).toBeGreaterThanOrEqual(1 + made)
  // Every candidate on the front or recommended met the budget it was given.
  for (const row of await panel.locator('[data-testid="tune-candidate"]').filter({ hasText: '★' }).all()) await expect(row).toHaveAttribute('data-meets', 'true')
  await panel.getByTestId('tune-chart').scrollIntoViewIfNeeded()
  await app.screenshot({ path: 'test-results/screenshots/tune.png' })
})
