// `npm test`: type check, lint, unit and integration tests (vitest), then the end-to-end tests in headless
// Chromium through the browser host (Playwright). Stops at the first failing stage; ends with one summary line.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const stages = [
  ['type check', npx, ['tsc', '-p', 'tsconfig.node.json']],
  ['type check (electron)', npx, ['tsc', '-p', 'tsconfig.electron.json']],
  ['type check (renderer)', npx, ['tsc', '-p', 'tsconfig.web.json']],
  ['type check (end-to-end tests)', npx, ['tsc', '-p', 'tsconfig.e2e.json']],
  ['lint', npx, ['eslint', '.']],
  // The crash tests and the end-to-end tests run the command line's bundle, built from these sources.
  ['build the command line', process.execPath, ['scripts/build-cli.mjs']],
  ['unit and integration tests', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest-results.json']],
  ['build the renderer', npx, ['vite', 'build', '--logLevel', 'warn']],
  ['build the desktop bundles', process.execPath, ['scripts/build-electron.mjs']],
  ['end-to-end tests', npx, ['playwright', 'test']],
]

function counts() {
  let passed = 0
  let failed = 0
  let skipped = 0
  try {
    const vitest = JSON.parse(readFileSync('test-results/vitest-results.json', 'utf8'))
    passed += vitest.numPassedTests
    failed += vitest.numFailedTests
    skipped += vitest.numPendingTests + vitest.numTodoTests
  } catch {
    // Not run yet.
  }
  try {
    const e2e = JSON.parse(readFileSync('test-results/e2e-results.json', 'utf8'))
    passed += e2e.stats.expected
    failed += e2e.stats.unexpected + e2e.stats.flaky
    skipped += e2e.stats.skipped
  } catch {
    // Not run yet.
  }
  return `${passed} passed, ${failed} failed, ${skipped} skipped`
}

// Counts come from this run's reports only.
rmSync('test-results/vitest-results.json', { force: true })
rmSync('test-results/e2e-results.json', { force: true })

for (const [name, command, args] of stages) {
  console.log(`\n▶ ${name}`)
  const started = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit' })
  console.log(`  ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  if (result.status !== 0) {
    console.log(`\n${counts()}`)
    process.exit(result.status ?? 1)
  }
}
console.log(`\n${counts()}`)
