// What every recipe run shares: the model's real inputs as the data loaders expect them, and the feeds
// used for calibration and validation (the user's data cut to the model's batch size, or data generated
// as the model's input spec says).
import type { InputSpec, TensorInfo } from '../../../preload/api'
import { batchOf, failedOnGeneratedInputs, resolveInputs, specFor, type ResolvedInput } from '../bench/input-spec'
import { fixedInputFeed } from '../bench/data-feed'
import { generateFeed } from '../bench/random-inputs'
import { loadTensorData, modelBatchSize, rebatch, type Feed } from '../data/load-tensors'
import { modelInputs, typeName } from '../inspect/inspect-onnx'
import { dimOf } from '../onnx/shape-inference'
import type { ModelProto } from '../onnx/onnx-types'
import { readOnnxModel } from '../onnx/model-file'
import { UserError } from '../errors'
import { runParent, type ParentRun } from './validate-output'

export function inputInfos(model: ModelProto): TensorInfo[] {
  return modelInputs(model).map((v) => ({
    name: v.name ?? '',
    dtype: typeName(v.type),
    shape: (v.type?.tensorType?.shape?.dim ?? []).map(dimOf),
  }))
}

export interface RecipeFeeds {
  readonly feeds: Feed[]
  readonly rows: number
  readonly given: boolean
  /** Without data: the inputs as generated (what the user's input spec left to guesses is marked). */
  readonly generated?: readonly ResolvedInput[]
}

/** Where a recipe's calibration and check inputs come from: a data file, else the model's input spec. */
export interface RecipeInputs {
  readonly path?: string | undefined
  /** Use at most this many rows of the data. */
  readonly maxRows?: number | undefined
  readonly spec?: InputSpec | undefined
}

/** Batches of the data at `path` (checked against the inputs), or two generated batches when there is none. */
export async function recipeFeeds(inputs: readonly TensorInfo[], source: RecipeInputs, preferredBatch = 8): Promise<RecipeFeeds> {
  const io = inputs.map((input) => ({ name: input.name, dtype: input.dtype, dims: input.shape }))
  if (!source.path) {
    const generated = resolveInputs('the model', io, { ...(source.spec ? { spec: specFor(source.spec, io) } : {}), guessUnknownDims: true })
    return { feeds: [generateFeed(generated, 1), generateFeed(generated, 32)], rows: 2 * batchOf(generated), given: false, generated }
  }
  // Calibration data need not hold the inputs the spec fixes (a sample rate).
  const fill = source.spec ? fixedInputFeed('the model', io, source.spec) : undefined
  const set = await loadTensorData(source.path, inputs, { ...(source.maxRows === undefined ? {} : { maxRows: source.maxRows }), ...(fill ? { fill } : {}) })
  return { feeds: rebatch(set, modelBatchSize(inputs, preferredBatch)), rows: set.rows, given: true }
}

/** The first batches holding at most `rows` rows, for validation runs. */
export function firstBatches(feeds: readonly Feed[], rows: number): Feed[] {
  const out: Feed[] = []
  let n = 0
  for (const feed of feeds) {
    if (n >= rows) break
    out.push(feed)
    n += Object.values(feed).find((t) => t.dims.length > 0)?.dims[0] ?? 1
  }
  return out
}

/**
 * The parent's run on the recipe's inputs (runParent), its outputs on the first `checkRows` rows the
 * reference. A file ONNX Runtime cannot load is read by the ONNX reader first, so the user sees what is
 * wrong with the file (empty, truncated, not ONNX) rather than the runtime's message; a model that fails
 * on generated inputs names the inputs nobody described.
 */
export async function runParentOnInputs(file: string, source: RecipeInputs, checkRows: number): Promise<ParentRun<RecipeFeeds>> {
  let generated: readonly ResolvedInput[] | undefined
  try {
    return await runParent(
      file,
      async (inputs) => {
        const data = await recipeFeeds(inputs, source)
        generated = data.generated
        return data
      },
      (data) => firstBatches(data.feeds, checkRows),
    )
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('ONNX Runtime cannot load')) await readOnnxModel(file)
    if (generated && error instanceof UserError && error.message.startsWith('ONNX Runtime failed to run the original model'))
      throw failedOnGeneratedInputs(error.facts.reason ?? error.message, error.facts.details?.join('; ') ?? '', generated)
    throw error
  }
}
