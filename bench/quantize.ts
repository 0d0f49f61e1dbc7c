// npm run bench:quantize — what the quantization recipes buy, measured side by side in one run:
// 1. static int8 (QDQ) on squeezenet1_1_random and a generated ResNet-style net: latency at batch 1 and 8
//    (targets ≤ 0.65× and ≤ 0.5× of float32) and size (≤ 0.30×);
// 2. dynamic int8 on a generated transformer encoder the size of MiniLM (hidden 384, 6 heads: the most
//    used sentence encoder), 64 tokens: latency (≤ 0.7×) and size (≤ 0.30×). The same at hidden 256 is
//    printed for reference: there LayerNormalization, Softmax and the attention's own MatMuls, which
//    stay float, weigh more, and the ratio sits near 0.7;
// 3. int4 MatMulNBits on the encoder: size (≤ 0.20×); fp16 on all three: size (≤ 0.52×);
// 4. a 100 MB float32 model quantized in the worker with peak memory under 3× its size (the worker's
//    resident memory at its peak, less what it holds at start-up: the task's modules and ONNX Runtime count).
// Latency: wall-clock medians of float and int8 run in alternating pairs (see paired-latency.ts), with
// 2 intra-op threads; each recipe's own time is printed too.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as ort from 'onnxruntime-node'
import type { ConvertOptions, QuantizeOptions, RecipeSummary } from '../preload/api'
import { seededRandom } from '../main/core/bench/random-inputs'
import { encodeNpy } from '../main/core/data/npy'
import { encodeModel } from '../main/core/onnx/codec'
import { resnetStyleModel } from '../main/core/optimize/prune-sample-models'
import { readRssBytes, runInWorker } from '../main/core/worker/run-in-worker'
import { spawnNodeWorker } from '../main/core/worker/spawn-node-worker'
import { pairedLatency, type PairedLatency } from './paired-latency'
import { matmulStackModel, transformerEncoderModel } from './quantize-models'

const THREADS = 2
/** Alternating pairs per measurement: more at batch 1, where one run is short and noise weighs more. */
const pairsFor = (batch: number): number => (batch === 1 ? 100 : 80)
const spawn = spawnNodeWorker
let failures = 0

function report(line: string, ok?: boolean): void {
  if (ok === false) failures++
  process.stdout.write(`${line}${ok === undefined ? '' : ok ? '  ok' : '  MISSED'}\n`)
}

function randomNpy(dims: number[], seed: number, scale = 1): Uint8Array {
  const random = seededRandom(seed)
  const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => random() * scale)
  return encodeNpy({ dtype: 'float32', dims, data })
}

function latencyLine(label: string, t: PairedLatency, target: number): void {
  report(
    `  ${label}: p50 ${t.parent.wall.toFixed(2)} → ${t.child.wall.toFixed(2)} ms, median paired ratio ${t.ratio.wall.toFixed(3)}× (target ≤ ${target}); CPU time ${t.ratio.cpu.toFixed(3)}×`,
    t.ratio.wall <= target,
  )
}

const latency = (float: string, int8: string, shape: readonly number[]): Promise<PairedLatency> =>
  pairedLatency(float, int8, shape, { threads: THREADS, pairs: pairsFor(shape[0] ?? 1) })

/** Runs a recipe in a worker, sampling its resident memory: at start-up (before the task) and at peak. */
async function recipe(task: 'quantize-model' | 'convert-model', modelPath: string, outputPath: string, options: QuantizeOptions | ConvertOptions): Promise<{ summary: RecipeSummary; peakRss: number; startRss: number }> {
  let peakRss = 0
  let startRss = 0
  let timer: NodeJS.Timeout | undefined
  const params = { modelPath, outputPath, options } as never
  try {
    const summary = (await runInWorker(spawn, task, params, {
      onStarted: (pid) => {
        void readRssBytes(pid).then((rss) => (startRss = rss ?? 0))
        timer = setInterval(() => void readRssBytes(pid).then((rss) => (peakRss = Math.max(peakRss, rss ?? 0))), 10)
      },
    })) as RecipeSummary
    return { summary, peakRss, startRss }
  } finally {
    clearInterval(timer)
  }
}

async function sizeLine(label: string, out: string, parent: string, target: number, seconds: number): Promise<void> {
  const ratio = (await stat(out)).size / (await stat(parent)).size
  report(`  ${label}: size ${ratio.toFixed(3)}× (target ≤ ${target}), recipe took ${seconds.toFixed(1)} s`, ratio <= target)
}

const fixture = (file: string): string => fileURLToPath(new URL(`../test-fixtures/onnx/${file}`, import.meta.url))
const work = await mkdtemp(join(tmpdir(), 'slipway-bench-quantize-'))
try {
  const resnet = join(work, 'resnet_style.onnx')
  await writeFile(resnet, encodeModel(resnetStyleModel({ width: 64, stages: 4, blocksPerStage: 2, imageSize: 112 })))
  const HIDDEN = 384
  const encoder = join(work, 'transformer_encoder.onnx')
  await writeFile(encoder, encodeModel(transformerEncoderModel({ hidden: HIDDEN, heads: 6, layers: 4 })))
  const smallEncoder = join(work, 'transformer_encoder_256.onnx')
  await writeFile(smallEncoder, encodeModel(transformerEncoderModel({ hidden: 256, heads: 4, layers: 4 })))
  process.stdout.write(`ONNX Runtime ${ort.env.versions.node ?? ''}, ${THREADS} intra-op threads, ${pairsFor(1)} (batch 1) or ${pairsFor(8)} alternating pairs per measurement\n\n`)

  for (const net of [
    { name: 'squeezenet1_1_random', path: fixture('squeezenet1_1_random.onnx'), image: 224 },
    { name: 'resnet_style (generated, 11M parameters)', path: resnet, image: 112 },
  ]) {
    report(`${net.name}: static int8 QDQ (min-max, 8 random calibration rows)`)
    const calib = join(work, `calib-${net.image}.npy`)
    await writeFile(calib, randomNpy([8, 3, net.image, net.image], 1))
    const out = join(work, `${net.image}-int8.onnx`)
    const { summary } = await recipe('quantize-model', net.path, out, { mode: 'static', calibPath: calib })
    await sizeLine('int8', out, net.path, 0.3, summary.durationMs / 1000)
    latencyLine('batch 1', await latency(net.path, out, [1, 3, net.image, net.image]), 0.65)
    latencyLine('batch 8', await latency(net.path, out, [8, 3, net.image, net.image]), 0.5)
    const fp16 = join(work, `${net.image}-fp16.onnx`)
    const converted = await recipe('convert-model', net.path, fp16, { to: 'fp16', keepIoTypes: true })
    await sizeLine('fp16', fp16, net.path, 0.52, converted.summary.durationMs / 1000)
  }

  report(`\ntransformer_encoder (generated: 4 layers, hidden ${HIDDEN}, 6 heads, LayerNormalization, Softmax)`)
  const tokens = join(work, 'tokens.npy')
  await writeFile(tokens, randomNpy([2, 64, HIDDEN], 2, 2))
  const dynamic = join(work, 'encoder-dynamic.onnx')
  const d = await recipe('quantize-model', encoder, dynamic, { mode: 'dynamic', calibPath: tokens })
  report(`  dynamic int8: output SQNR ${d.summary.validation.outputs[0]?.sqnrDb.toFixed(1)} dB against float32`)
  await sizeLine('dynamic int8', dynamic, encoder, 0.3, d.summary.durationMs / 1000)
  latencyLine('dynamic int8, batch 1 × 64 tokens', await latency(encoder, dynamic, [1, 64, HIDDEN]), 0.7)
  latencyLine('dynamic int8, batch 8 × 64 tokens', await latency(encoder, dynamic, [8, 64, HIDDEN]), 0.7)
  const smallDynamic = join(work, 'encoder-256-dynamic.onnx')
  await recipe('quantize-model', smallEncoder, smallDynamic, { mode: 'dynamic' })
  const small = await latency(smallEncoder, smallDynamic, [1, 64, 256])
  report(`  for reference, hidden 256 (4 heads), batch 1 × 64 tokens: p50 ${small.parent.wall.toFixed(2)} → ${small.child.wall.toFixed(2)} ms, median paired ratio ${small.ratio.wall.toFixed(3)}× (no target)`)
  const int4 = join(work, 'encoder-int4.onnx')
  const q4 = await recipe('quantize-model', encoder, int4, { mode: 'int4', blockSize: 32, calibPath: tokens })
  report(`  int4 (block 32): output SQNR ${q4.summary.validation.outputs[0]?.sqnrDb.toFixed(1)} dB against float32`)
  await sizeLine('int4', int4, encoder, 0.2, q4.summary.durationMs / 1000)
  const t4 = await latency(encoder, int4, [1, 64, HIDDEN])
  report(`  int4, batch 1 × 64 tokens: p50 ${t4.parent.wall.toFixed(2)} → ${t4.child.wall.toFixed(2)} ms, median paired ratio ${t4.ratio.wall.toFixed(3)}× (no target)`)
  const fp16 = join(work, 'encoder-fp16.onnx')
  const c = await recipe('convert-model', encoder, fp16, { to: 'fp16', keepIoTypes: true })
  await sizeLine('fp16', fp16, encoder, 0.52, c.summary.durationMs / 1000)

  report('\npeak memory: a 100 MB float32 MatMul stack, dynamic int8 in the worker (validation included)')
  const big = join(work, 'matmul-100mb.onnx')
  await writeFile(big, encodeModel(matmulStackModel(100e6)))
  const bigSize = (await stat(big)).size
  const m = await recipe('quantize-model', big, join(work, 'matmul-100mb-int8.onnx'), { mode: 'dynamic' })
  const mb = (n: number): string => `${(n / 1e6).toFixed(0)} MB`
  const used = m.peakRss - m.startRss
  report(
    `  model ${mb(bigSize)}: worker RSS ${mb(m.startRss)} at start-up (Node and tsx, before the task loads its modules), peak ${mb(m.peakRss)}; the recipe's own peak ${mb(used)} = ${(used / bigSize).toFixed(2)}× the model (target < 3×), took ${(m.summary.durationMs / 1000).toFixed(1)} s`,
    used < 3 * bigSize,
  )
} finally {
  await rm(work, { recursive: true, force: true })
}
report(failures === 0 ? '\nall targets met' : `\n${failures} target(s) missed`)
process.exitCode = failures === 0 ? 0 : 1
