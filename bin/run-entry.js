// Runs one of the command-line entries (bin/slipway.js, bin/slipway-server.js): the esbuild bundle in
// out/cli/ (built by `npm ci` through `prepare`, or `npm run build:cli`) while it matches the sources, else
// the TypeScript sources through tsx, so an edited checkout runs what it holds without a build step.
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundleDir = join(root, 'out', 'cli')

/** Whether every source the bundle was built from is as it was then (same mtime, or else same content). */
function bundleIsCurrent() {
  let info
  try {
    info = JSON.parse(readFileSync(join(bundleDir, 'build-info.json'), 'utf8'))
  } catch {
    return false
  }
  return Object.entries(info.sources).every(([path, built]) => {
    const file = join(root, path)
    try {
      return statSync(file).mtimeMs === built.mtimeMs || createHash('sha256').update(readFileSync(file)).digest('hex') === built.sha256
    } catch {
      return false
    }
  })
}

/** Runs out/cli/<name>.js, or `source` (relative to the repository root) through tsx. */
export async function runEntry(name, source) {
  // Stack traces (printed with SLIPWAY_DEBUG) name the TypeScript sources; mapping costs start-up otherwise.
  if (process.env.SLIPWAY_DEBUG) process.setSourceMapsEnabled(true)
  if (bundleIsCurrent()) return import(pathToFileURL(join(bundleDir, `${name}.js`)).href)
  process.stderr.write(`(${name}: running the TypeScript sources through tsx; \`npm run build:cli\` makes start-up fast again)\n`)
  const tsx = await import('tsx/esm/api').catch(() => {
    throw new Error(`${name} is not built: run \`npm run build:cli\` in ${root}`)
  })
  tsx.register()
  return import(pathToFileURL(join(root, source)).href)
}
