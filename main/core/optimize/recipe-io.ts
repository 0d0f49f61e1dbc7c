// What every recipe run shares: the model's real inputs as the data loaders expect them, and the feeds
// used for calibration and validation (the user's data cut to the model's batch size, or random data).
import type { TensorInfo } from '../../../preload/api'
import { loadTensorData, modelBatchSize, rebatch, type Feed } from '../data/load-tensors'
import { modelInputs, typeName } from '../inspect/inspect-onnx'
import { dimOf } from '../onnx/shape-inference'
import type { ModelProto } from '../onnx/onnx-types'
import { readOnnxModel } from '../onnx/model-file'
import { UserError } from '../errors'
import { randomFeeds, runParent, type ParentRun } from './validate-output'

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
}

/** Batches of the data at `path` (checked against the inputs), or random batches when there is none. */
export async function recipeFeeds(
  inputs: readonly TensorInfo[],
  path: string | undefined,
  maxRows: number | undefined,
  preferredBatch = 8,
): Promise<RecipeFeeds> {
  if (!path) return { feeds: randomFeeds(inputs), rows: 2, given: false }
  const set = await loadTensorData(path, inputs, maxRows === undefined ? {} : { maxRows })
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
 * runParent, except that a file ONNX Runtime cannot load is read by the ONNX reader first, so the user
 * sees what is wrong with the file (empty, truncated, not ONNX) rather than the runtime's message.
 */
export async function runParentOrExplain<D>(
  file: string,
  dataFor: (inputs: TensorInfo[]) => Promise<D>,
  checkFeedsOf: (data: D) => readonly Feed[],
): Promise<ParentRun<D>> {
  try {
    return await runParent(file, dataFor, checkFeedsOf)
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('ONNX Runtime cannot load')) await readOnnxModel(file)
    if (error instanceof UserError && error.message.startsWith('ONNX Runtime failed to run the original model'))
      throw new UserError(`${error.message} (without data it runs on random inputs with symbolic dimensions set to 1: pass real inputs with --calib or --data)`)
    throw error
  }
}
