// Worker task 'compare-plan': reads the baseline, its variants, the data and the labels of a comparison and
// checks that they fit together, in a worker so that a hostile model or data file can crash only that
// process. The engine passes paths and options and gets back plain data: the models' inputs, sizes and
// digests, and the batches every model runs on.
import type { CompareOptions, TensorInfo } from '../../../preload/api'
import { UserError } from '../errors'
import { loadTensorData, modelBatchSize, rebatch, type Feed } from '../data/load-tensors'
import type { JobContext } from '../jobs/job-context'
import { dataLoadOptions, fixedInputFeed, loadLabels } from './data-feed'
import { mergeSpecs } from './input-spec'
import { formatDims } from '../../../preload/format'
import { modelDigest, readModelIo, tensorInfos, type ModelIo } from './model-io'
import type { BenchModel } from './run-bench'

export interface ComparePlanParams {
  /** The baseline first, then its variants. */
  readonly models: readonly BenchModel[]
  readonly options: CompareOptions
}

export interface ComparePlan {
  /** In the request's order. `digest`: absent for TF.js. */
  readonly models: readonly { readonly inputs: readonly TensorInfo[]; readonly sizeBytes: number; readonly digest?: string }[]
  /** The baseline's outputs, which every variant has. */
  readonly outputs: readonly string[]
  readonly rows: number
  /** The data in the batch size every model takes, typed for the baseline. */
  readonly batches: readonly Feed[]
  /** The batch size latency is timed at (1, or the model's fixed one), and that first batch. */
  readonly latencyBatch: number
  readonly timedFeed?: Feed
  readonly labels?: BigInt64Array
}

/** Rows per batch when the options give none and the model takes any. */
const DEFAULT_BATCH = 32

/** A variant must take the baseline's inputs (float types may differ) and give its outputs. */
function checkSameInterface(baseline: BenchModel, base: ModelIo, model: BenchModel, io: ModelIo): void {
  for (const input of base.inputs) {
    const own = io.inputs.find((i) => i.name === input.name)
    if (!own) throw new UserError(`${model.label} has no input '${input.name}' that ${baseline.label} takes, so they cannot run on the same data`)
    const floats = input.dtype.startsWith('float') && own.dtype.startsWith('float')
    if (own.dtype !== input.dtype && !floats)
      throw new UserError(`${model.label}: input '${input.name}' is ${own.dtype}, but ${input.dtype} in ${baseline.label}`)
    const clash =
      input.dims &&
      own.dims &&
      (input.dims.length !== own.dims.length ||
        input.dims.some((dim, i) => typeof dim === 'number' && typeof own.dims?.[i] === 'number' && dim !== own.dims[i]))
    if (clash)
      throw new UserError(
        `${model.label}: input '${input.name}' has shape ${formatDims(own.dims)}, but ${formatDims(input.dims)} in ${baseline.label}, so they cannot run on the same data`,
      )
  }
  for (const output of base.outputs)
    if (!io.outputs.some((o) => o.name === output.name))
      throw new UserError(`${model.label} has no output '${output.name}' to compare with ${baseline.label}'s (it has ${io.outputs.map((o) => `'${o.name}'`).join(', ')})`)
}

export async function planComparison(params: ComparePlanParams, ctx: JobContext): Promise<ComparePlan> {
  const [baseline, ...variants] = params.models as [BenchModel, ...BenchModel[]]
  const { options } = params
  ctx.progress(0, 'reading the models and data')
  const base = await readModelIo(baseline.path)
  const ios: ModelIo[] = []
  for (const variant of variants) {
    const io = await readModelIo(variant.path)
    checkSameInterface(baseline, base, variant, io)
    ios.push(io)
  }
  const infos = tensorInfos(base)
  const spec = mergeSpecs(baseline.inputSpec, { ...(options.shapes ? { shapes: options.shapes } : {}), ...(options.values ? { values: options.values } : {}) })
  const fill = fixedInputFeed(baseline.label, base.inputs, spec)
  const data = await loadTensorData(options.dataPath, infos, { ...dataLoadOptions(options.data), ...(fill ? { fill } : {}) })
  const labels = options.labelsPath ? await loadLabels(options.labelsPath) : data.labels
  if (labels && labels.length !== data.rows)
    throw new UserError(
      `${options.labelsPath ?? options.dataPath} holds ${labels.length} labels, but ${options.dataPath} holds ${data.rows} samples${options.data?.limit ? ` (limited to ${options.data.limit})` : ''}: they must match one to one`,
    )
  const batchSize = modelBatchSize(infos, options.batch ?? DEFAULT_BATCH)
  for (const [i, io] of ios.entries()) {
    const own = modelBatchSize(tensorInfos(io), batchSize)
    if (own !== batchSize)
      throw new UserError(`${variants[i]?.label} takes batches of ${own}, ${baseline.label} of ${batchSize}: they cannot run on the same batches`)
  }
  const batches = rebatch(data, batchSize)
  const latencyBatch = modelBatchSize(infos, 1)
  const timedFeed = (latencyBatch === batchSize ? batches : rebatch(data, latencyBatch))[0]
  const digests = await Promise.all(params.models.map((model) => modelDigest(model.path)))
  return {
    models: [base, ...ios].map((io, i) => {
      const digest = digests[i]
      return { inputs: tensorInfos(io), sizeBytes: io.sizeBytes, ...(digest ? { digest } : {}) }
    }),
    outputs: base.outputs.map((o) => o.name),
    rows: data.rows,
    batches,
    latencyBatch,
    ...(timedFeed ? { timedFeed } : {}),
    ...(labels ? { labels } : {}),
  }
}
