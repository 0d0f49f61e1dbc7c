// The browser the end-to-end tests drive: a system Chromium or Chrome (Playwright's own download is never
// used), or the one named by SLIPWAY_CHROMIUM.
import { existsSync } from 'node:fs'

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

export function findChromium(): string {
  const named = process.env.SLIPWAY_CHROMIUM
  if (named) {
    if (!existsSync(named)) throw new Error(`SLIPWAY_CHROMIUM names ${named}, which does not exist`)
    return named
  }
  const found = candidates.find((path) => existsSync(path))
  if (!found)
    throw new Error(
      'No Chromium or Chrome found for the end-to-end tests. Install one (Debian/Ubuntu: sudo apt-get install chromium; ' +
        'macOS: install Google Chrome) or set SLIPWAY_CHROMIUM=/path/to/chrome.',
    )
  return found
}

/** Flags for a quiet headless run on a machine without network access or GPU. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
