// The workbench end to end with real engines: sample → static int8 (calibrated on the sample's data) →
// structured prune → benchmark all three → compare → pick → export the HTML report, and read the report.
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { reviewScreen } from './review'

const JOB_TIMEOUT = 240_000

// Tall enough for each screen's screenshot to show its content (the app scrolls inside its panes).
test.use({ viewport: { width: 1400, height: 1500 } })

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png` })
}

test('optimize, benchmark, compare, pick and export a report', async ({ app }) => {
  test.setTimeout(900_000)
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'digits_cnn (sample)')
  await expect(app.getByTestId('op-histogram').locator('svg')).toBeVisible()
  await reviewScreen(app, 'overview')

  // Static int8: calibration data from the file dialog, checked against the model's inputs first.
  await app.getByTestId('tab-optimize').click()
  const staticCard = app.getByTestId('recipe-static-int8')
  await staticCard.getByTestId('recipe-static-int8-data-input').setInputFiles('resources/sample/digits_calib.npy')
  await expect(staticCard.getByTestId('recipe-static-int8-data')).toHaveAttribute('data-check', 'ok', { timeout: JOB_TIMEOUT })
  await expect(staticCard.getByTestId('recipe-static-int8-data-check')).toContainText('200 rows')
  await staticCard.getByTestId('recipe-static-int8-preset').first().click()
  await expect(staticCard.getByTestId('recipe-static-int8-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })

  const pruneCard = app.getByTestId('recipe-structured-prune')
  await pruneCard.getByTestId('recipe-structured-prune-preset').first().click()
  await expect(pruneCard.getByTestId('recipe-structured-prune-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('model-item')).toHaveCount(3)
  await screenshot(app, 'optimize')
  await reviewScreen(app, 'optimize')

  // Benchmark the three at two batch sizes, each until its median is stable or 2 s pass; rows appear as configurations finish.
  await app.getByTestId('tab-benchmark').click()
  await expect(app.getByTestId('bench-models-item')).toHaveCount(3)
  await app.getByTestId('bench-batches').fill('1, 8')
  await app.getByTestId('bench-budget').fill('2')
  await app.getByTestId('bench-run').click()
  await expect(app.getByTestId('bench-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('bench-row')).toHaveCount(6)
  // Each row says why measuring stopped, and its p50 carries its interval.
  const stops = await app.getByTestId('bench-stop').evaluateAll((spans) => spans.map((s) => s.getAttribute('data-stop')))
  expect(stops).toHaveLength(6)
  for (const stop of stops) expect(['stable', 'budget']).toContain(stop)
  await expect(app.getByTestId('bench-p50').first()).toContainText('±')
  await expect(app.getByTestId('bench-throughput-chart').locator('svg')).toBeVisible()
  // The run exports as CSV with every statistic, the same p50s the table shows.
  const csvDownload = app.waitForEvent('download')
  await app.getByTestId('bench-export-csv').click()
  const csv = (await readFile((await (await csvDownload).path()) ?? '', 'utf8')).trim().split('\n')
  expect(csv[0]).toMatch(/^model,batch,threads,runs,mean ms,p50 ms,p90 ms,p95 ms,p99 ms,/)
  const shown = await app.getByTestId('bench-p50').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')).sort())
  expect(csv.slice(1).map((line) => line.split(',').at(-15)).sort()).toEqual(shown)
  await screenshot(app, 'benchmark')
  await reviewScreen(app, 'benchmark')

  // Compare on the sample's labelled test split.
  await app.getByTestId('tab-compare').click()
  // Benchmarked but not yet measured for accuracy: the rule's accuracy limit makes the verdict pending, no winner.
  await expect(app.getByTestId('pick-winner')).toHaveAttribute('data-verdict', 'pending')
  await expect(app.getByTestId('pick-winner')).toHaveAttribute('data-model-name', '')
  await expect(app.getByTestId('pick-reason')).toContainText('accuracy not measured yet')
  await expect(app.getByTestId('compare-data')).toHaveAttribute('data-check', 'ok', { timeout: JOB_TIMEOUT })
  await expect(app.getByTestId('compare-labels-select')).toHaveValue(/digits_test_y\.npy$/)
  await app.getByTestId('compare-timing').fill('2')
  await app.getByTestId('compare-run').click()
  await expect(app.getByTestId('compare-job')).toHaveAttribute('data-job-state', 'succeeded', { timeout: JOB_TIMEOUT })
  const rows = app.getByTestId('compare-row')
  await expect(rows).toHaveCount(3)
  // Accuracy of the float baseline on the 360 labelled test digits: a real number from the real model.
  const baselineAccuracy = Number(await rows.first().getByTestId('cell-accuracy').getAttribute('data-value'))
  expect(baselineAccuracy).toBeGreaterThan(0.9)
  // 360 samples: the accuracy carries its 95% interval (a couple of points), and each variant's change the
  // interval of the difference paired per sample.
  const spread = Number((await rows.first().getByTestId('spread-accuracy').textContent())?.replace('±', ''))
  expect(spread).toBeGreaterThan(0.5)
  expect(spread).toBeLessThan(4)
  await expect(rows.nth(1).getByTestId('delta-spread-accuracy')).toHaveText(/^± \d+\.\d\d$/)
  for (const chart of ['latency-size', 'latency-accuracy', 'latency-distribution', 'throughput'])
    await expect(app.getByTestId(`chart-${chart}`).locator('svg')).toBeVisible()

  // Every variant's p50 ratio to the baseline carries its uncertainty.
  await expect(rows.nth(1).getByTestId('ratio-p50Ms')).toContainText(/\d\.\d\d× ± (<0\.01|\d\.\d\d)/)
  await expect(rows.nth(2).getByTestId('ratio-p50Ms')).toContainText('±')

  // Loosen the rule until every variant qualifies. A winner must beat the next model beyond the noise;
  // otherwise the tie goes to the smaller model, and the verdict says which happened.
  await app.getByTestId('pick-max-drop').fill('100')
  const pickLine = app.getByTestId('pick-winner')
  await expect(pickLine).toHaveAttribute('data-verdict', /^(winner|tie-break|no-difference)$/)
  const verdict = await pickLine.getAttribute('data-verdict')
  const winnerName = (await pickLine.getAttribute('data-model-name')) ?? ''
  const facts = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      name: tr.getAttribute('data-model-name') ?? '',
      p50: Number(tr.querySelector('[data-testid="cell-p50Ms"]')?.getAttribute('data-value')),
      size: Number(tr.querySelector('[data-testid="cell-sizeBytes"]')?.getAttribute('data-value')),
    })),
  )
  const fastest = facts.reduce((a, b) => (b.p50 < a.p50 ? b : a))
  if (verdict === 'winner') expect(winnerName).toBe(fastest.name)
  if (verdict === 'tie-break') {
    // The tie went to the smaller model: the winner is no bigger than the fastest, which it did not beat.
    await expect(app.getByTestId('pick-reason')).toContainText(`no significant difference`)
    await expect(app.getByTestId('pick-reason')).toContainText(`${winnerName} is the`)
    expect(facts.find((f) => f.name === winnerName)?.size).toBeLessThanOrEqual(fastest.size)
  }
  if (verdict === 'no-difference') expect(winnerName).toBe('')
  if (winnerName) await expect(app.locator('[data-testid="compare-row"][data-winner="true"]')).toHaveAttribute('data-model-name', winnerName)
  const verdictText = await app.getByTestId('pick-verdict').textContent()
  // Sorting by size keeps the baseline first and orders the variants.
  await app.getByTestId('sort-sizeBytes').click()
  const sizes = await rows.evaluateAll((trs) => trs.slice(1).map((tr) => Number(tr.querySelector('[data-testid="cell-sizeBytes"]')?.getAttribute('data-value'))))
  expect(sizes).toEqual([...sizes].sort((a, b) => a - b))
  await screenshot(app, 'compare')
  await reviewScreen(app, 'compare')
  await reviewScreen(app, 'compare-charts', app.getByTestId('chart-latency-size').locator('..'))

  // The int8 variant against its parent: quantized ops, with the per-layer error measured by the recipe.
  await app.locator('[data-testid="model-item"][data-model-name*="quantize static"]').click()
  await app.getByTestId('tab-changes').click()
  await expect(app.locator('[data-testid="diff-row"][data-change="quantized"]').first()).toBeVisible()
  await expect(app.locator('[data-testid="diff-row"][data-op="QuantizeLinear"]')).toHaveAttribute('data-change', 'added')
  expect(await app.getByTestId('layer-error-row').count()).toBeGreaterThan(0)
  await screenshot(app, 'changes')
  await reviewScreen(app, 'changes')
  await app.getByTestId('tab-compare').click()
  await expect(app.getByTestId('compare-row')).toHaveCount(3)

  // Export the HTML report, then open it: the winner and the charts are in it, with no script.
  const download = app.waitForEvent('download')
  await app.getByTestId('export-html').click()
  const path = 'test-results/report.html'
  await (await download).saveAs(path)
  const html = await readFile(path, 'utf8')
  expect(html).not.toContain('<script')
  await app.goto(pathToFileURL(path).href)
  await expect(app.getByTestId('report-verdict')).toHaveText(verdictText ?? '')
  if (winnerName) await expect(app.getByTestId('report-winner')).toHaveText(winnerName)
  await expect(app.locator('figure.chart svg')).toHaveCount(4)
  await expect(app.locator('figure.chart').first()).toContainText('Latency vs size')
  await screenshot(app, 'report')
})
