// npm run bench:large — the recipes on a model past protobuf's 2 GB limit, as LLMs are: four LLaMA-7B MLP
// blocks (gate and up projections 4096 → 11008, SiLU gating, down projection 11008 → 4096) in float32,
// 2.16 GB, weights in external data. The model is generated here, in a temporary folder, one tensor at a
// time. int4 (MatMulNBits, block 32) and dynamic int8 run through the real recipe path in a worker
// process, validation against the parent included; for each: wall time, the worker's peak resident
// memory (VmHWM) against the model's size (target for int4: ≤ 1.5×), output size against input size, and
// the output's SQNR against the parent's (random inputs, as the recipe's own check).
import { statfs, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { QuantizeOptions, RecipeSummary } from '../preload/api'
import { writeMlpModel } from '../main/core/optimize/mlp-sample-model'
import { runInWorker } from '../main/core/worker/run-in-worker'
import { spawnNodeWorker } from '../main/core/worker/spawn-node-worker'

const widths = { hidden: 4096, ffn: 11008, layers: 4 }
let failures = 0

function report(line: string, ok?: boolean): void {
  if (ok === false) failures++
  process.stdout.write(`${line}${ok === undefined ? '' : ok ? '  ok' : '  MISSED'}\n`)
}

const gb = (n: number): string => `${(n / 1e9).toFixed(2)} GB`

const base = process.env.SLIPWAY_BENCH_DIR ?? tmpdir()
const free = await statfs(base).then((s) => s.bavail * s.bsize)
const modelBytes = 3 * widths.hidden * widths.ffn * 4 * widths.layers
if (free < 2 * modelBytes) {
  report(`${base} has ${gb(free)} free; the bench needs about ${gb(2 * modelBytes)} (set SLIPWAY_BENCH_DIR to a roomier folder)`, false)
  process.exit(1)
}
const work = await mkdtemp(join(base, 'slipway-bench-large-'))
try {
  const parent = join(work, 'llama_mlp.onnx')
  let started = performance.now()
  const written = await writeMlpModel(parent, widths)
  const size = written.modelBytes + written.dataBytes
  report(
    `generated ${widths.layers} LLaMA-7B MLP blocks (${widths.hidden} → ${widths.ffn} → ${widths.hidden}, float32): ${gb(size)} (.onnx ${written.modelBytes} bytes + .onnx.data) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  )
  const cases: { label: string; options: QuantizeOptions; peakTarget?: number }[] = [
    { label: 'int4 (MatMulNBits, block 32)', options: { mode: 'int4', blockSize: 32 }, peakTarget: 1.5 },
    { label: 'dynamic int8', options: { mode: 'dynamic' } },
  ]
  for (const { label, options, peakTarget } of cases) {
    const output = join(work, `llama_mlp-${options.mode}.onnx`)
    let peak = 0
    started = performance.now()
    const summary = (await runInWorker(spawnNodeWorker, 'quantize-model', { modelPath: parent, outputPath: output, options }, {
      onPeakRss: (bytes) => (peak = bytes),
    })) as RecipeSummary
    const seconds = (performance.now() - started) / 1000
    const sqnr = summary.validation.outputs.map((o) => `${o.sqnrDb.toFixed(1)} dB`).join(', ')
    report(`${label}:`)
    report(`  wall time ${seconds.toFixed(1)} s (recipe ${(summary.durationMs / 1000).toFixed(1)} s, validation on ${summary.validation.rows} random rows included)`)
    report(
      `  peak RSS ${gb(peak)} = ${(peak / size).toFixed(2)}× the model${peakTarget === undefined ? '' : ` (target ≤ ${peakTarget}×)`}`,
      peakTarget === undefined ? undefined : peak <= peakTarget * size,
    )
    report(`  output ${gb(summary.outputBytes)} = ${summary.sizeRatio.toFixed(3)}× the input (${gb(summary.parentBytes)})`)
    report(`  fidelity: output SQNR ${sqnr} against the float32 parent\n`)
    await rm(output, { force: true })
    await rm(`${output}.data`, { force: true })
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
report(failures === 0 ? 'all targets met' : `${failures} target(s) missed`)
process.exitCode = failures === 0 ? 0 : 1
