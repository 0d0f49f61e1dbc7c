// Worker task: prune a model (magnitude or structured), check that the result loads and runs on the
// parent's inputs, and only then write it. Sizes are bytes on disk and gzip bytes, measured here.
import { gzip } from 'node:zlib'
import { promisify } from 'node:util'
import type { MagnitudePruneSummary, PruneModelResult, PruneOptions, SizeFacts, StructuredPruneSummary } from '../../../preload/api'
import { writeFileAtomic } from '../serving/atomic-write'
import type { JobContext } from '../jobs/job-context'
import { encodeModel } from '../onnx/codec'
import { readOnnxModel } from '../onnx/model-file'
import { rewritableModel } from '../optimize/rewritable-model'
import { pruneMagnitude } from '../optimize/prune-magnitude'
import { pruneStructured } from '../optimize/prune-structured'
import { firstBatches, recipeFeeds, runParentOrExplain } from '../optimize/recipe-io'
import { validateVariant } from '../optimize/validate-output'
import { refuseExternalData } from './quantize-model'

const gzipAsync = promisify(gzip)

/** Rows the output is compared with the parent's on. */
export const validationRows = 64

export interface PruneModelParams {
  readonly input: string
  readonly output: string
  readonly options: PruneOptions
}

export async function gzipSize(bytes: Uint8Array): Promise<number> {
  return (await gzipAsync(bytes, { level: 9 })).length
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

export async function pruneModel(params: PruneModelParams, ctx: JobContext): Promise<PruneModelResult> {
  const options = params.options
  ctx.progress(0, 'running the parent', 'its outputs are the reference for the check')
  const reference = await runParentOrExplain(
    params.input,
    (inputs) => recipeFeeds(inputs, options.dataPath, validationRows),
    (data) => firstBatches(data.feeds, validationRows),
  )
  ctx.progress(0.1, 'reading')
  const parent = await readOnnxModel(params.input)
  refuseExternalData(parent.model, params.input)
  ctx.throwIfCancelled()
  ctx.progress(0.2, 'pruning')
  const model = rewritableModel(parent.model, params.input)
  const pruned = options.method === 'magnitude' ? pruneMagnitude(model, options) : pruneStructured(model, options)
  const bytes = encodeModel(pruned.model)
  ctx.throwIfCancelled()
  ctx.progress(0.5, 'validating', 'loading the result and comparing its outputs with the parent')
  const { data } = reference
  const check = await validateVariant(reference.reference, bytes, firstBatches(data.feeds, validationRows), data.given, ctx)
  ctx.throwIfCancelled()
  ctx.progress(0.85, 'writing')
  const sizes: SizeFacts = {
    parentBytes: parent.bytes.length,
    bytes: bytes.length,
    parentGzipBytes: await gzipSize(parent.bytes),
    gzipBytes: await gzipSize(bytes),
  }
  await writeFileAtomic(params.output, bytes)
  ctx.progress(1, 'done')
  return { summary: pruned.summary, check, sizes, notes: notesFor(pruned.summary, sizes) }
}
