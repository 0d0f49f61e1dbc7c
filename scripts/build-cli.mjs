// Bundles the CLI (`slipway`), the standalone server (`slipway-server`) and the worker they start into
// out/cli/, split into shared chunks so that each command loads only what it imports. `npm ci` runs this
// (the `prepare` script); bin/run-entry.js runs the bundle while build-info.json says it matches the sources.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { esmBanner, nodeBundle } from './esbuild-options.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outdir = join(root, 'out', 'cli')
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

// What `slipway --help` must not load: the server, the runtimes and the big parsers load with the command
// that uses them (a dynamic import), or every invocation pays for them.
const notAtStartup = [/^fastify$/, /^@fastify\//, /^onnxruntime-node$/, /^@tensorflow\//, /^sharp$/, /^vite$/, /node_modules\/(zod|protobufjs)\//]

// A failed build leaves no build-info.json, so the entries fall back to the sources.
rmSync(outdir, { recursive: true, force: true })
const result = await build({
  ...nodeBundle,
  absWorkingDir: root,
  target: `node${packageJson.engines.node.replace('>=', '')}`,
  entryPoints: { slipway: 'main/cli/index.ts', 'slipway-server': 'server/bin.ts', 'worker-main': 'main/core/worker/worker-main.ts' },
  // Chunks sit beside the entries: spawn-node-worker finds worker-main.js next to its own chunk.
  outdir,
  format: 'esm',
  splitting: true,
  banner: esmBanner,
  metafile: true,
})

/** Inputs and external imports of an output file and of the chunks it imports statically. */
function startupGraph(metafile, output) {
  const seen = new Set()
  const found = []
  const visit = (file) => {
    if (seen.has(file)) return
    seen.add(file)
    const out = metafile.outputs[file]
    found.push(...Object.keys(out.inputs))
    for (const imported of out.imports) {
      if (imported.kind !== 'import-statement') continue
      if (imported.external) found.push(imported.path)
      else visit(imported.path)
    }
  }
  visit(output)
  return found
}

const packageOf = (path) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path
const heavy = new Set(startupGraph(result.metafile, 'out/cli/slipway.js').filter((path) => notAtStartup.some((pattern) => pattern.test(path))).map(packageOf))
if (heavy.size > 0) {
  console.error(`build-cli: \`slipway\` would load ${[...heavy].join(', ')} at start-up; import them where they are used (await import(...))`)
  process.exit(1)
}

// The sources the bundle was built from, with their mtimes and hashes (a touched but unchanged file still
// counts as built); package-lock.json stands for the bundled dependencies.
const sources = {}
for (const path of [...Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules/')), 'package-lock.json']) {
  const file = join(root, path)
  sources[path] = { mtimeMs: statSync(file).mtimeMs, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') }
}
mkdirSync(outdir, { recursive: true })
writeFileSync(join(outdir, 'build-info.json'), JSON.stringify({ builtAt: new Date().toISOString(), sources }, null, 1))
