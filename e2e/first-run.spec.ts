// A new user's first minutes: the empty workspace says what to do and offers the sample, the app has its
// icon, a reload or a shared link opens the same model and tab, and everything works from the keyboard.
import { api, expect, test } from './fixtures'
import { reviewScreen } from './review'

test('an empty workspace offers a drop target and the sample; the sample comes back with one click', async ({ app, workbench }) => {
  const [sample] = await api<{ id: string }[]>(workbench.url, 'listModels', [])
  await api(workbench.url, 'deleteModel', [sample?.id])
  await app.reload()
  const empty = app.getByTestId('empty-state')
  await expect(empty).toContainText('Drop a model here')
  await expect(app.getByTestId('empty-open')).toBeVisible()
  await reviewScreen(app, 'empty')

  await app.getByTestId('try-sample').click()
  await expect(app.getByTestId('model-page')).toHaveAttribute('data-model-name', 'digits_cnn (sample)')
  await expect(app.getByTestId('model-item')).toHaveCount(1)
})

test('the tab and the window have the app icon', async ({ app, workbench }) => {
  for (const path of ['/favicon.ico', '/favicon.svg']) {
    const response = await fetch(new URL(path, workbench.url))
    expect(response.status, path).toBe(200)
    expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(100)
  }
  await expect(app.locator('link[rel="icon"]').first()).toHaveAttribute('href', './favicon.ico')
})

test('a reload, or the link opened in a new tab, opens the same model and tab', async ({ app, context, workbench }) => {
  await app.getByTestId('tab-benchmark').click()
  await expect(app).toHaveURL(/#\/models\/[^/]+\/benchmark$/)
  const place = new URL(app.url()).hash
  await app.reload()
  await expect(app.getByTestId('panel-benchmark')).toBeVisible()
  // A new tab has no session yet: the host's address (with its access token) and the place.
  const other = await context.newPage()
  await other.goto(workbench.url + place)
  await expect(other.getByTestId('panel-benchmark')).toBeVisible()
  await expect(other.getByTestId('model-page')).toHaveAttribute('data-model-name', 'digits_cnn (sample)')
  await other.getByTestId('deployments-open').click()
  await expect(other).toHaveURL(/#\/deployments$/)
  await other.reload()
  await expect(other.getByTestId('deployments-view')).toBeVisible()
})

test('the keyboard alone reaches the tabs and the publish dialog, which keeps focus and closes on Escape', async ({ app }) => {
  await expect(app.getByTestId('model-page')).toBeVisible()
  // Tab from the top of the page until the Optimize tab has focus, then open it with Enter.
  const optimize = app.getByTestId('tab-optimize')
  for (let i = 0; i < 30 && !(await optimize.evaluate((el) => el === document.activeElement)); i++) await app.keyboard.press('Tab')
  await expect(optimize).toBeFocused()
  // The focused control shows it: an outline drawn by :focus-visible.
  expect(await optimize.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none')
  await app.keyboard.press('Enter')
  await expect(app.getByTestId('panel-optimize')).toBeVisible()

  await app.getByTestId('publish-open').focus()
  await app.keyboard.press('Enter')
  const dialog = app.getByTestId('publish-dialog')
  await expect(dialog).toBeVisible()
  await reviewScreen(app, 'publish-dialog')
  // Focus stays in the dialog however far one tabs.
  for (let i = 0; i < 12; i++) {
    await app.keyboard.press('Tab')
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true)
  }
  await app.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(app.getByTestId('publish-open')).toBeFocused()
})
