// npm run bench:harness — does `slipway bench` add cost to what it measures? Times a bare
// `session.run` loop, as a user would write it in a script of their own, and the benchmark engine
// (`slipway bench`'s code path: a fresh worker process per configuration) on the same models, input and
// session options, and prints the ratio of their p50 latencies (target ≤ 1.03).
//
// On these machines a 15 µs model runs at 14 µs in one process and 23 µs in the next, and the two cores
// drift between such states for seconds at a time. So: both sides run in fresh processes, the whole
// script is pinned to one core (children inherit it), each `slipway bench` run is bracketed by bare runs
// just before and just after it and compared with their mean, and the verdict is the median of those
// per-round ratios.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeFeeds, sessionOptions } from '../main/core/bench/bench-task'
import { runBenchmarks } from '../main/core/bench/run-bench'
import { percentile } from '../main/core/bench/statistics'
import { spawnNodeWorker } from '../main/core/worker/spawn-node-worker'

const TARGET = 1.03
const PINNED = 'SLIPWAY_BENCH_PINNED'

// Pin this process, and so every process it starts, to the last core, where `taskset` exists.
if (process.platform === 'linux' && !process.env[PINNED]) {
  const core = String(cpus().length - 1)
  const pinned = spawnSync('taskset', ['-c', core, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [PINNED]: core },
  })
  if (!pinned.error) process.exit(pinned.status ?? 1)
  process.stdout.write('taskset not found: running unpinned, expect noisier ratios\n')
}
if (process.env[PINNED]) process.stdout.write(`pinned to core ${process.env[PINNED]}\n`)

interface Case {
  readonly name: string
  readonly file: string
  readonly shape: readonly number[]
  readonly iterations: number
  readonly warmup: number
  readonly rounds: number
}

const cases: readonly Case[] = [
  { name: 'digits_mlp', file: 'digits_mlp.onnx', shape: [1, 64], iterations: 3000, warmup: 300, rounds: 15 },
  { name: 'squeezenet1_1_random', file: 'squeezenet1_1_random.onnx', shape: [1, 3, 224, 224], iterations: 150, warmup: 15, rounds: 9 },
]

const root = fileURLToPath(new URL('..', import.meta.url))

function fixture(file: string): string {
  return fileURLToPath(new URL(`../test-fixtures/onnx/${file}`, import.meta.url))
}

// The loop a user would write by hand, run by plain Node in a process of its own: same session options
// as the benchmark engine, the same input (read from a raw float32 file), the same clock.
const bareLoop = `
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import * as ort from 'onnxruntime-node'
const [model, inputFile, shape, iterations, warmup, options] = process.argv.slice(1)
const session = await ort.InferenceSession.create(model, JSON.parse(options))
const bytes = readFileSync(inputFile)
const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, JSON.parse(shape)) }
for (let i = 0; i < Number(warmup); i++) await session.run(feeds)
const samples = new Float64Array(Number(iterations))
for (let i = 0; i < samples.length; i++) {
  const t0 = performance.now()
  await session.run(feeds)
  samples[i] = performance.now() - t0
}
samples.sort()
process.stdout.write(String(samples[samples.length >> 1]))
`

function bareP50(c: Case, inputFile: string): number {
  const args = [fixture(c.file), inputFile, JSON.stringify(c.shape), String(c.iterations), String(c.warmup), JSON.stringify(sessionOptions(1))]
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', bareLoop, ...args], { cwd: root, encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`bare loop failed: ${child.stderr}`)
  return Number(child.stdout)
}

async function slipwayP50(c: Case): Promise<number> {
  const report = await runBenchmarks(spawnNodeWorker, [{ path: fixture(c.file), label: c.name }], {
    batches: [1],
    threads: [1],
    warmup: c.warmup,
    iterations: c.iterations,
  })
  const result = report.results[0]
  if (!result) throw new Error(`${c.name}: ${report.failures[0]?.error ?? 'no result'}`)
  return result.latencyMs.p50
}

const median = (values: readonly number[]): number => percentile(values, 0.5)
const list = (values: readonly number[]): string => values.map((v) => v.toFixed(4)).join(' ')

let worst = 0
const scratch = mkdtempSync(join(tmpdir(), 'slipway-harness-'))
for (const c of cases) {
  const input = makeFeeds({ inputs: [{ name: 'input', dtype: 'float32', shape: c.shape, range: { low: 0, high: 1 } }] }).input
  const inputFile = join(scratch, `${c.name}.f32`)
  writeFileSync(inputFile, input?.data as Float32Array)
  const bracket: number[] = []
  const slipway: number[] = []
  const ratios: number[] = []
  let before = bareP50(c, inputFile)
  for (let round = 0; round < c.rounds; round++) {
    const measured = await slipwayP50(c)
    const after = bareP50(c, inputFile)
    const reference = (before + after) / 2
    bracket.push(reference)
    slipway.push(measured)
    ratios.push(measured / reference)
    before = after
  }
  const verdict = median(ratios)
  worst = Math.max(worst, verdict)
  process.stdout.write(
    `${c.name} (batch 1, 1 thread, ${c.iterations} runs, ${c.rounds} rounds)\n` +
      `  bare session.run p50 ms (mean of the runs before and after): ${list(bracket)}\n` +
      `  slipway bench    p50 ms:                                     ${list(slipway)}\n` +
      `  per-round ratio slipway/bare: ${ratios.map((r) => r.toFixed(3)).join(' ')}\n` +
      `  median ratio ${verdict.toFixed(3)} (target ≤ ${TARGET}); best rounds ${(Math.min(...slipway) / Math.min(...bracket)).toFixed(3)}\n`,
  )
}
rmSync(scratch, { recursive: true, force: true })
process.stdout.write(`worst median ratio ${worst.toFixed(3)}: ${worst <= TARGET ? 'within' : 'OVER'} the ${TARGET} target\n`)
