// Worker task: prune a model (magnitude or structured), check that the result loads and runs on the
// parent's inputs, and only then write it. Sizes are bytes on disk and gzip bytes, measured here.
import { createReadStream } from 'node:fs'
import { once } from 'node:events'
import { createGzip } from 'node:zlib'
import type { MagnitudePruneSummary, PruneModelResult, PruneOptions, SizeFacts, StructuredPruneSummary } from '../../../preload/api'
import type { JobContext } from '../jobs/job-context'
import { openOnnxModel } from '../onnx/external-data-io'
import type { ModelProto } from '../onnx/onnx-types'
import { rewritableModel } from '../optimize/rewritable-model'
import { pruneMagnitude } from '../optimize/prune-magnitude'
import { pruneStructured } from '../optimize/prune-structured'
import { firstBatches, runParentOnInputs } from '../optimize/recipe-io'
import { stageOutput, writeProduced } from '../optimize/recipe-output'
import { validateVariant } from '../optimize/validate-output'
import type { RecipeTaskParams } from './recipe-task-params'

/** Rows the output is compared with the parent's on. */
export const validationRows = 64

/**
 * Bytes of the files (a model and its side files) gzipped as one stream, read piece by piece. Level 9;
 * level 1 from 512 MB on, where level 9 takes minutes (parent and result are measured alike).
 */
export async function gzipSize(files: readonly string[], totalBytes: number): Promise<number> {
  const gz = createGzip({ level: totalBytes > 512e6 ? 1 : 9 })
  let size = 0
  gz.on('data', (chunk: Buffer) => {
    size += chunk.length
  })
  const ended = once(gz, 'end')
  for (const file of files)
    for await (const chunk of createReadStream(file)) if (!gz.write(chunk)) await once(gz, 'drain')
  gz.end()
  await ended
  return size
}

function notesFor(summary: MagnitudePruneSummary | StructuredPruneSummary, sizes: SizeFacts): string[] {
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`
  if (summary.method === 'magnitude')
    return [
      'Dense kernels do not skip zeros: this model runs at the same speed and takes the same bytes on disk as its parent.',
      `The zeros pay when the file is compressed (gzip ${sizes.gzipBytes} bytes, ${ratio(sizes.gzipBytes, sizes.parentGzipBytes)} of the parent's ${sizes.parentGzipBytes}) or quantized to int8 afterwards.`,
    ]
  return [
    `Removed channels make a smaller dense model: ${summary.parametersAfter} parameters (${ratio(summary.parametersAfter, summary.parametersBefore)} of ${summary.parametersBefore}), ${ratio(sizes.bytes, sizes.parentBytes)} of the file size.`,
    ...(summary.channelMultiple > 1
      ? [`Layers with at least ${4 * summary.channelMultiple} channels keep a multiple of ${summary.channelMultiple} (ONNX Runtime's blocked CPU kernels), so their ratio can differ slightly from ${summary.ratio}.`]
      : []),
    ...summary.intact.map((g) => `Left intact: ${g.nodes.join(', ')} (${g.reasons.join('; ')}).`),
    'No fine-tuning happens here: check the accuracy on labelled data before deploying.',
  ]
}

export async function pruneModel(params: RecipeTaskParams<PruneOptions>, ctx: JobContext): Promise<PruneModelResult> {
  const options = params.options
  ctx.progress(0, 'running the parent', 'its outputs are the reference for the check')
  const reference = await runParentOnInputs(params.modelPath, { path: options.dataPath, maxRows: validationRows, spec: params.inputSpec }, validationRows)
  ctx.progress(0.1, 'reading')
  const parent = await openOnnxModel(params.modelPath)
  ctx.throwIfCancelled()
  ctx.progress(0.2, 'pruning')
  const stage = await stageOutput(params.outputPath)
  try {
    const pruned = await writeProduced<{ model: ModelProto; summary: MagnitudePruneSummary | StructuredPruneSummary }>(stage, parent.external, () => {
      const model = rewritableModel(parent.model, params.modelPath)
      return options.method === 'magnitude' ? pruneMagnitude(model, options) : pruneStructured(model, options)
    })
    ctx.throwIfCancelled()
    ctx.progress(0.5, 'validating', 'loading the result and comparing its outputs with the parent')
    const { data } = reference
    const check = await validateVariant(reference.reference, stage.path, firstBatches(data.feeds, validationRows), data.given, ctx)
    ctx.throwIfCancelled()
    ctx.progress(0.85, 'writing')
    const bytes = await stage.sizeBytes()
    const largest = Math.max(bytes, parent.sizeBytes)
    const sizes: SizeFacts = {
      parentBytes: parent.sizeBytes,
      bytes,
      parentGzipBytes: await gzipSize(parent.files, largest),
      gzipBytes: await gzipSize(await stage.files(), largest),
    }
    await stage.commit()
    ctx.progress(1, 'done')
    return { summary: pruned.summary, validation: check, sizes, notes: notesFor(pruned.summary, sizes) }
  } finally {
    await stage.discard()
  }
}
