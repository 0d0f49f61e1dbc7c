// The per-operator profile from the UI on real engines: a structured-prune variant of the sample profiled
// next to its parent, and numbers read back from the page.
import { expect, test } from './fixtures'

const JOB_TIMEOUT = 240_000

// Tall enough for the screenshot to show the whole panel (the app scrolls inside its panes).
test.use({ viewport: { width: 1400, height: 2600 } })

/** "12.3 ± 4.1 µs" or "2.41 ± 0.10 ms" → [mean, spread] in milliseconds. */
function spreadMs(text: string): [number, number] {
  const match = /([\d.]+) ± ([\d.]+) (µs|ms)/.exec(text)
  if (!match) throw new Error(`no time with a spread in "${text}"`)
  const scale = match[3] === 'µs' ? 1e-3 : 1
  return [Number(match[1]) * scale, Number(match[2]) * scale]
}

test('profile a variant: time per node and op type, each node next to its parent', async ({ app }) => {
  test.setTimeout(600_000)
  await app.getByTestId('tab-optimize').click()
  const pruneCard = app.getByTestId('recipe-structured-prune')
  await pruneCard.getByTestId('recipe-structured-prune-preset').first().click()
  await expect(pruneCard.getByTestId('recipe-structured-prune-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  await app.locator('[data-testid="model-item"]:not([data-model-name="digits_cnn (sample)"])').click()

  await app.getByTestId('tab-benchmark').click()
  const panel = app.getByTestId('profile-panel')
  await panel.getByTestId('profile-runs').fill('10')
  await panel.getByTestId('profile-run').click()
  await expect(panel.getByTestId('profile-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })

  const [runMs, runSpread] = spreadMs((await panel.getByTestId('profile-run-time').textContent()) ?? '')
  expect(runMs).toBeGreaterThan(0)
  expect(runSpread).toBeGreaterThanOrEqual(0)
  // The slowest node first, named as in the model file, with its share of the run's node time.
  const top = panel.getByTestId('profile-node').first()
  await expect(top).toHaveAttribute('data-node-name', /\/(features|classifier)\//)
  const share = Number(((await top.getByTestId('profile-node-share').textContent()) ?? '').replace('%', ''))
  expect(share).toBeGreaterThan(0)
  expect(share).toBeLessThanOrEqual(100)
  await expect(panel.locator('[data-testid="profile-op-type"][data-op-type="Conv"]')).toBeVisible()
  // The parent ran with the same settings: a pruned Conv has a time on both sides.
  const conv = panel.locator('[data-testid="profile-change"][data-node-name="/features/features.0/Conv"]')
  await expect(conv).toBeVisible()
  await expect(conv.locator('td').nth(2)).toContainText('±')
  await expect(conv.locator('td').nth(3)).toContainText('±')
  await panel.screenshot({ path: 'test-results/screenshots/profile.png' })
})
