// The desktop app itself, through Electron. Needs Electron's binary (downloaded by `npm start` on first run)
// and a display; where either is missing the test is skipped and says why.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown
    return typeof path === 'string' && existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

const binary = electronBinary()
const display = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY

test('the desktop window opens on the sample model, sandboxed', async () => {
  test.skip(!binary, "Electron's binary is not installed here (it downloads from GitHub on first `npm start`)")
  test.skip(!display, 'no display for a desktop window (run under xvfb-run)')
  const workspace = await mkdtemp(join(tmpdir(), 'slipway-electron-'))
  const app = await electron.launch({ executablePath: binary, args: ['.', `--workspace=${workspace}`, '--no-sandbox'] })
  try {
    const window = await app.firstWindow()
    await expect(window.locator('[data-app-state="ready"]')).toBeVisible()
    await expect(window.getByTestId('model-page')).toHaveAttribute('data-model-name', 'digits_cnn (sample)')
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
  } finally {
    await app.close()
    await rm(workspace, { recursive: true, force: true })
  }
})
