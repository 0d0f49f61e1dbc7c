import { defineConfig } from '@playwright/test'
import { chromiumArgs, findChromium } from './e2e/find-chromium'

// Two projects over the same workbench: the browser host in a system Chromium (runs everywhere), and the
// desktop app through Electron (runs where Electron's binary and a display exist; skipped, saying so, elsewhere).
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: { trace: 'retain-on-failure', viewport: { width: 1360, height: 860 } },
  projects: [
    {
      name: 'browser',
      testIgnore: /electron\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: { executablePath: findChromium(), args: chromiumArgs } },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
})
