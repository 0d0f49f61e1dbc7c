// npm run bench:startup — what starting the CLI costs, as a ratio to starting Node itself (`node -e ''`).
// Builds the bundle from the current checkout first, then times `slipway --help` and a typical command
// (`slipway inspect` of the 92 KB sample model: the CLI, a worker process and ONNX Runtime) from the bundle
// and from the sources through tsx (what every run cost before the bundle). Wall time of whole processes,
// in rounds that run every command once in turn, so a slow spell of the machine hits all of them alike;
// medians over the rounds. Target: `slipway --help` under 0.5 s.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { percentile } from '../main/core/bench/statistics'

const ROUNDS = 11
const HELP_TARGET_MS = 500
const root = join(import.meta.dirname, '..')
const model = join(root, 'resources', 'sample', 'digits_cnn.onnx')
const fromSources = ['--import', 'tsx', join(root, 'main', 'cli', 'index.ts')]
const bundle = [join(root, 'bin', 'slipway.js')]

interface Case {
  readonly label: string
  readonly args: readonly string[]
}

const cases: readonly Case[] = [
  { label: "node -e ''", args: ['-e', ''] },
  { label: 'slipway --help (bundle)', args: [...bundle, '--help'] },
  { label: 'slipway --help (sources through tsx)', args: [...fromSources, '--help'] },
  { label: 'slipway inspect digits_cnn.onnx (bundle)', args: [...bundle, 'inspect', model] },
  { label: 'slipway inspect digits_cnn.onnx (sources through tsx)', args: [...fromSources, 'inspect', model] },
]

function timeRun(args: readonly string[]): number {
  const started = performance.now()
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' })
  const ms = performance.now() - started
  // A stale bundle would quietly run the sources: the note on stderr says so.
  if (result.status !== 0 || result.stderr.includes('through tsx')) throw new Error(`node ${args.join(' ')} failed:\n${result.stderr}`)
  return ms
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

const samples = cases.map(() => [] as number[])
for (const c of cases) timeRun(c.args) // warm the file cache
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < cases.length; i++) {
    const at = (i + round) % cases.length
    samples[at]!.push(timeRun(cases[at]!.args))
  }
}

const medians = samples.map((s) => percentile(s, 0.5))
const node = medians[0]!
process.stdout.write(`start-up, median of ${ROUNDS} runs (wall time of the whole process)\n`)
for (const [i, c] of cases.entries()) {
  const ms = medians[i]!
  process.stdout.write(`  ${c.label.padEnd(56)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / node).toFixed(2).padStart(6)}× node\n`)
}
const help = medians[1]!
const met = help < HELP_TARGET_MS
process.stdout.write(`\nslipway --help: ${(help / 1000).toFixed(2)} s (target < ${HELP_TARGET_MS / 1000} s) ${met ? 'met' : 'MISSED'}\n`)
process.exitCode = met ? 0 : 1
