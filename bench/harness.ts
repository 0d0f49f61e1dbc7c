// npm run bench:harness — does `slipway bench` add cost to what it measures? Times a bare
// `session.run` loop in this process and the benchmark engine (`slipway bench`'s code path: a fresh
// worker process per configuration) on the same models, inputs and session options, alternating the
// two over several rounds, and prints the ratio of their p50 latencies (target ≤ 1.03): of the best
// rounds, per round (the two runs next to each other) and of the medians over rounds. Load from other
// processes only ever adds time, so the best round of each side is the verdict (as timeit advises);
// the other two show how noisy the machine was.
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import * as ort from 'onnxruntime-node'
import { makeFeeds, sessionOptions } from '../main/core/bench/bench-task'
import { runBenchmarks } from '../main/core/bench/run-bench'
import { percentile } from '../main/core/bench/statistics'
import { spawnNodeWorker } from '../main/core/worker/spawn-node-worker'

const ROUNDS = 7
const TARGET = 1.03

interface Case {
  readonly name: string
  readonly file: string
  readonly shape: readonly number[]
  readonly iterations: number
  readonly warmup: number
}

const cases: readonly Case[] = [
  { name: 'digits_mlp', file: 'digits_mlp.onnx', shape: [1, 64], iterations: 3000, warmup: 300 },
  { name: 'squeezenet1_1_random', file: 'squeezenet1_1_random.onnx', shape: [1, 3, 224, 224], iterations: 150, warmup: 15 },
]

function fixture(file: string): string {
  return fileURLToPath(new URL(`../test-fixtures/onnx/${file}`, import.meta.url))
}

/** The loop a user would write by hand: same session options, same inputs, same clock. */
async function bareP50(c: Case): Promise<number> {
  const session = await ort.InferenceSession.create(fixture(c.file), sessionOptions(1))
  const feeds = makeFeeds({ inputs: [{ name: 'input', dtype: 'float32', shape: c.shape }] })
  for (let i = 0; i < c.warmup; i++) await session.run(feeds)
  const samples = new Float64Array(c.iterations)
  for (let i = 0; i < c.iterations; i++) {
    const t0 = performance.now()
    await session.run(feeds)
    samples[i] = performance.now() - t0
  }
  await session.release()
  return percentile(samples, 0.5)
}

async function slipwayP50(c: Case): Promise<number> {
  const report = await runBenchmarks(() => spawnNodeWorker(), [{ path: fixture(c.file), label: c.name }], {
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

let worst = 0
for (const c of cases) {
  const bare: number[] = []
  const slipway: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first so that a drift in machine load does not favour one side.
    if (round % 2 === 0) {
      bare.push(await bareP50(c))
      slipway.push(await slipwayP50(c))
    } else {
      slipway.push(await slipwayP50(c))
      bare.push(await bareP50(c))
    }
  }
  const ratio = median(slipway) / median(bare)
  const paired = median(slipway.map((s, i) => s / (bare[i] as number)))
  const best = Math.min(...slipway) / Math.min(...bare)
  worst = Math.max(worst, best)
  const list = (values: readonly number[]): string => values.map((v) => v.toFixed(4)).join(' ')
  process.stdout.write(
    `${c.name} (batch 1, 1 thread, ${c.iterations} runs × ${ROUNDS} rounds)\n` +
      `  bare session.run p50 ms: ${list(bare)}  best ${Math.min(...bare).toFixed(4)}, median ${median(bare).toFixed(4)}\n` +
      `  slipway bench    p50 ms: ${list(slipway)}  best ${Math.min(...slipway).toFixed(4)}, median ${median(slipway).toFixed(4)}\n` +
      `  ratio slipway/bare: ${best.toFixed(3)} of the best rounds (target ≤ ${TARGET}); ${paired.toFixed(3)} median per round, ${ratio.toFixed(3)} of medians\n`,
  )
}
process.stdout.write(`worst ratio ${worst.toFixed(3)}: ${worst <= TARGET ? 'within' : 'OVER'} the ${TARGET} target\n`)
