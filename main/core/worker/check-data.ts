// Worker task: does a data file fit a model's inputs? Loads it with the loaders the jobs use, so the answer
// (rows, shapes, or the error naming the file, the input and the expected shape) is the one a job would get.
import type { DataCheck, DataOptions, TensorInfo } from '../../../preload/api'
import { dataLoadOptions } from '../bench/data-feed'
import { loadTensorData } from '../data/load-tensors'
import { toErrorInfo, UserError } from '../errors'
import type { JobContext } from '../jobs/job-context'

export interface CheckDataParams {
  readonly path: string
  readonly inputs: readonly TensorInfo[]
  readonly data?: DataOptions
}

export async function checkData(params: CheckDataParams, ctx: JobContext): Promise<DataCheck> {
  ctx.progress(0, 'reading data')
  try {
    const set = await loadTensorData(params.path, params.inputs, dataLoadOptions(params.data))
    const first = set.batches[0] ?? {}
    return {
      ok: true,
      rows: set.rows,
      inputs: Object.entries(first).map(([name, tensor]) => ({ name, dtype: tensor.dtype, shape: [...tensor.dims] })),
    }
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: toErrorInfo(error) }
    throw error
  }
}
