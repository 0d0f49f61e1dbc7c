// `quantize` for TF.js models: rewrites the float32 weights of a layers- or graph-model as uint8, uint16 or
// float16 with the converter's manifest metadata, then loads the result with TF.js's own loaders and
// compares its outputs with the original's. TF.js dequantizes at load, so this shrinks the download only.
import type { JobContext } from '../jobs/job-context'
import { readTfjsArtifacts, weightEntries } from './node-io-handler'
import { compareTfjsModels, loadTfjsModel } from './tfjs-model'
import { dequantizeWeight, quantizeWeight, type TfjsQuantizeMode } from './weight-quantization'
import { writeRewrittenModel, type WeightEntry } from './write-tfjs-model'
import type { TfjsQuantizeSummary, Validation } from '../../../preload/api'
import { formatBytes } from '../../../preload/format'

export interface TfjsQuantizeParams {
  readonly modelPath: string
  readonly outDir: string
  readonly mode: TfjsQuantizeMode
}

const comparedBatch = 2

/** Requantizes every float32 weight (already-quantized ones are dequantized first, as TF.js would). */
export function quantizeEntries(entries: readonly WeightEntry[], mode: TfjsQuantizeMode): { entries: WeightEntry[]; quantized: number } {
  let quantized = 0
  const out = entries.map((entry): WeightEntry => {
    if (entry.spec.dtype !== 'float32') return entry
    const count = entry.spec.shape.reduce((a, b) => a * b, 1)
    const values = dequantizeWeight(entry.bytes, count, entry.spec.quantization)
    const q = quantizeWeight(values, mode)
    quantized++
    return { spec: { name: entry.spec.name, shape: entry.spec.shape, dtype: 'float32', quantization: q.quantization }, bytes: q.bytes }
  })
  return { entries: out, quantized }
}

export async function quantizeTfjs(params: TfjsQuantizeParams, ctx: JobContext): Promise<TfjsQuantizeSummary> {
  ctx.progress(0, 'reading')
  const artifacts = await readTfjsArtifacts(params.modelPath)
  const entries = weightEntries(artifacts)
  ctx.throwIfCancelled()
  ctx.progress(0.1, 'quantizing')
  const { entries: quantized, quantized: count } = quantizeEntries(entries, params.mode)
  const written = await writeRewrittenModel(artifacts, params.outDir, quantized)
  ctx.throwIfCancelled()
  ctx.progress(0.4, 'verifying', 'loading both models in TensorFlow.js')
  const original = await loadTfjsModel(params.modelPath)
  const output = await loadTfjsModel(written.modelPath, original.backend)
  let check: Validation
  try {
    check = await compareTfjsModels(original, output, comparedBatch, 1)
  } finally {
    original.dispose()
    output.dispose()
  }
  const before = artifacts.sizeBytes
  ctx.progress(1, 'done')
  return {
    format: artifacts.format,
    mode: params.mode,
    modelPath: written.modelPath,
    files: written.files,
    weightsQuantized: count,
    weightsKept: entries.length - count,
    sizeBytes: { before, after: written.bytes },
    weightBytes: { before: artifacts.weightData.length, after: written.weightBytes },
    validation: check,
    backend: original.backend.label,
    note:
      `TF.js dequantizes ${params.mode} weights to float32 when it loads them: the download shrinks from ` +
      `${formatBytes(before)} to ${formatBytes(written.bytes)}, while memory use and inference speed stay those of the float32 model.`,
  }
}
