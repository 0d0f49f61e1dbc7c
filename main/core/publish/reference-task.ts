// Worker task 'publish-reference': the inputs a publish smoke-tests with (rows of real data when there
// are some, else seeded random values) and the model's local ONNX Runtime outputs on them, plus the
// histogram of each float input that the server compares live traffic with (drift).
import * as ort from 'onnxruntime-node'
import type { TensorInfo } from '../../../preload/api'
import { defaultRange, randomTensorData } from '../bench/random-inputs'
import { castFeeds } from '../data/cast-float'
import { loadTensorData, modelBatchSize, rebatch, sliceFeed, type Feed, type HostTensor, type TensorDataSet } from '../data/load-tensors'
import { runtimeError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { cleanOrtMessage } from '../worker/ort-message'
import { inputHistograms, type InputHistogram } from './input-stats'

export interface ReferenceParams {
  readonly modelPath: string
  readonly inputs: readonly TensorInfo[]
  readonly dataPath?: string
  /** Without dataPath: data files to try in order (the first that fits the model's inputs is used). */
  readonly dataCandidates?: readonly string[]
  /** Rows to smoke-test with (default 4). */
  readonly rows?: number
}

export interface ReferenceResult {
  readonly feed: Feed
  readonly outputs: Record<string, HostTensor>
  readonly source: 'data' | 'random'
  /** The data file the inputs came from. */
  readonly dataPath?: string
  readonly rows: number
  readonly inputStats: Record<string, InputHistogram>
}

const STATS_ROWS = 256

function randomFeed(inputs: readonly TensorInfo[], rows: number): Feed {
  const feed: Feed = {}
  inputs.forEach((input, index) => {
    const dims = input.shape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? rows : 1))
    const count = dims.reduce((a, b) => a * b, 1)
    feed[input.name] = { dtype: input.dtype, dims, data: randomTensorData(input.dtype, count, defaultRange(input.name, input.dtype), 1000 + index) }
  })
  return feed
}

/** The first data file that loads for these inputs; files that do not fit are skipped. */
async function firstFitting(paths: readonly string[], inputs: readonly TensorInfo[]): Promise<TensorDataSet | undefined> {
  for (const path of paths) {
    try {
      return await loadTensorData(path, inputs, { maxRows: STATS_ROWS })
    } catch {
      // Not data for this model (another model's data, labels): try the next.
    }
  }
  return undefined
}

export async function publishReference(params: ReferenceParams, ctx: JobContext): Promise<ReferenceResult> {
  const wanted = params.rows ?? 4
  const rows = modelBatchSize(params.inputs, wanted)
  let feed: Feed
  let inputStats: Record<string, InputHistogram> = {}
  let source: ReferenceResult['source'] = 'random'
  ctx.progress(0, 'reading data')
  const set = params.dataPath
    ? await loadTensorData(params.dataPath, params.inputs, { maxRows: STATS_ROWS })
    : await firstFitting(params.dataCandidates ?? [], params.inputs)
  if (set) {
    const all = castFeeds(rebatch(set, set.rows), params.inputs)[0] as Feed
    inputStats = inputHistograms(all)
    feed = sliceFeed(all, 0, Math.min(rows, set.rows))
    source = 'data'
  } else feed = randomFeed(params.inputs, rows)
  ctx.progress(0.3, 'running locally')
  let session: ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(params.modelPath)
  } catch (error) {
    throw runtimeError('ONNX Runtime cannot load it', cleanOrtMessage(error), params.modelPath)
  }
  try {
    const feeds: Record<string, ort.Tensor> = {}
    for (const [name, t] of Object.entries(feed)) feeds[name] = new ort.Tensor(t.dtype as ort.Tensor.Type, t.data as ort.Tensor.DataType, [...t.dims])
    const results = await session.run(feeds).catch((error: unknown) => {
      throw runtimeError('the model fails on the smoke-test inputs', cleanOrtMessage(error), params.modelPath)
    })
    const outputs: Record<string, HostTensor> = {}
    for (const name of session.outputNames) {
      const tensor = results[name] as ort.Tensor
      outputs[name] = { dtype: tensor.type, dims: [...tensor.dims], data: tensor.data as HostTensor['data'] }
    }
    ctx.progress(1, 'done')
    const first = Object.values(feed).find((t) => t.dims.length > 0)
    return { feed, outputs, source, ...(set ? { dataPath: set.source } : {}), rows: first?.dims[0] ?? 1, inputStats }
  } finally {
    await session.release()
  }
}
