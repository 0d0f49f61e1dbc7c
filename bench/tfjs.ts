// npm run bench:tfjs — TF.js against ONNX Runtime on the same network, side by side in one run, batch 1:
// the MobileNetV2 layers-model in TF.js (wasm backend unless tfjs-node is installed) and its ONNX
// conversion in ONNX Runtime (1 intra-op thread, as wasm runs on one), plus the MobileNetV2 graph-model in
// TF.js (graph-models are not converted: its row has no ONNX partner). Each model is timed in its own
// worker process by the benchmark engine, with the same warm-up and run counts.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchmarkResult } from '../preload/api'
import { runBenchmarks } from '../main/core/bench/run-bench'
import { useInferenceBackend } from '../main/core/tfjs/tfjs-backend'
import { runInWorker } from '../main/core/worker/run-in-worker'
import { spawnNodeWorker } from '../main/core/worker/spawn-node-worker'

const fixtures = fileURLToPath(new URL('../test-fixtures/tfjs/', import.meta.url))
const layers = join(fixtures, 'nsfw_mobilenet_v2_layers/model.json')
const graph = join(fixtures, 'nsfw_mobilenet_v2_graph/model.json')
const spawn = spawnNodeWorker

const dir = await mkdtemp(join(tmpdir(), 'slipway-bench-tfjs-'))
try {
  const backend = await useInferenceBackend()
  const onnx = join(dir, 'mobilenet_v2_layers.onnx')
  const converted = await runInWorker(spawn, 'tfjs-convert-onnx', { modelPath: layers, outPath: onnx })
  process.stdout.write(`converted the layers-model: ${converted.nodeCount} nodes, outputs within ${converted.maxAbsDiff.toPrecision(2)} of TF.js\n`)
  const models = [
    { path: layers, label: 'MobileNetV2 layers-model · TF.js' },
    { path: onnx, label: 'MobileNetV2 layers-model → ONNX · ONNX Runtime' },
    { path: graph, label: 'MobileNetV2 graph-model · TF.js' },
  ]
  const report = await runBenchmarks(spawn, models, { batches: [1], threads: [1], warmup: 5, iterations: 40 }, {
    onProgress: (fraction, stage, detail) => process.stderr.write(`\rbench:tfjs ${Math.round(fraction * 100)}% ${stage} ${detail ?? ''}`.slice(0, 160).padEnd(160)),
  })
  process.stderr.write('\n')
  const byLabel = new Map<string, BenchmarkResult>(report.results.map((r) => [r.model, r]))
  const onnxRow = byLabel.get(models[1]?.label ?? '')
  process.stdout.write(`TF.js: ${backend.label}; ONNX Runtime: 1 intra-op thread; ${report.cpu.model}, ${report.cpu.logicalCores} cores\n\n`)
  process.stdout.write(`${'model'.padEnd(50)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'mean ms'.padStart(9)} ${'vs ONNX'.padStart(8)}\n`)
  for (const model of models) {
    const r = byLabel.get(model.label)
    if (!r) continue
    const ratio = model.path === onnx ? '1.0x' : model.path === layers && onnxRow ? `${(r.latencyMs.p50 / onnxRow.latencyMs.p50).toFixed(1)}x` : 'n/a'
    process.stdout.write(
      `${model.label.padEnd(50)} ${r.latencyMs.p50.toFixed(2).padStart(9)} ${r.latencyMs.p95.toFixed(2).padStart(9)} ${r.latencyMs.mean.toFixed(2).padStart(9)} ${ratio.padStart(8)}\n`,
    )
  }
  process.stdout.write('\nvs ONNX: p50 latency over the ONNX conversion of the same layers-model (the graph-model is a different, wider network and is not converted).\n')
  for (const warning of report.warnings) process.stdout.write(`warning: ${warning}\n`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
