// What every recipe run shares: the model's real inputs as the data loaders expect them, and the feeds
// used for calibration and validation (the user's data cut to the model's batch size, or random data).
import type { TensorInfo } from '../../../preload/api'
import { loadTensorData, modelBatchSize, rebatch, type Feed } from '../data/load-tensors'
import { modelInputs, typeName } from '../inspect/inspect-onnx'
import { dimOf } from '../onnx/shape-inference'
import type { ModelProto } from '../onnx/onnx-types'
import { randomFeeds } from './validate-output'

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
