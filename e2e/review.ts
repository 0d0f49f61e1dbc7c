// Each main screen, as a reviewer sees it: kept as screenshots at a laptop's and a desktop's size (for people
// to look at, not compared pixel by pixel), and checked by axe-core for accessibility problems.
import AxeBuilder from '@axe-core/playwright'
import { expect, type Locator, type Page } from '@playwright/test'

/** Where the screenshots go (test-results/ is git-ignored); README pictures are copied from here. */
export const SCREENS_DIR = 'test-results/screens'

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const

/** The smallest window the workbench must hold: nothing may stick out sideways there. */
const SMALLEST = { width: 1280, height: 720 } as const

/** Two animation frames: layout, the charts' resize observers and their redraw have run. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))))
}

/** The serious and critical axe-core violations on the page (WCAG 2.1 A and AA rules), one line each. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/**
 * The screen fits a 1280×720 window; screenshots of it at each review size (scrolled to put `part` at the top,
 * when given), then back to the size the test had; axe finds nothing serious.
 */
export async function reviewScreen(page: Page, name: string, part?: Locator): Promise<void> {
  const original = page.viewportSize()
  await page.setViewportSize(SMALLEST)
  await settled(page)
  // Neither the page nor its main pane scrolls sideways (wide tables scroll inside their own box).
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main')
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, main ? main.scrollWidth - main.clientWidth : 0)
  })
  expect(overflow, `the ${name} screen is wider than a ${SMALLEST.width}×${SMALLEST.height} window`).toBeLessThanOrEqual(0)
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await part?.evaluate((element) => element.scrollIntoView({ block: 'start' }))
    await settled(page)
    await page.screenshot({ path: `${SCREENS_DIR}/${name}-${size.width}x${size.height}.png` })
  }
  expect(await accessibilityProblems(page), `accessibility of the ${name} screen`).toEqual([])
  if (original) await page.setViewportSize(original)
}
