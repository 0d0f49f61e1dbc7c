// Worker task 'model-outputs': runs a model over batches of inputs and returns every output, batches
// concatenated along the sample dimension, as floats (float16 widened) for the fidelity metrics.
import * as ort from 'onnxruntime-node'
import { runtimeError, UserError } from '../errors'
import type { Feed } from '../data/load-tensors'
import type { JobContext } from '../jobs/job-context'
import { float16ArrayToFloat32 } from '../onnx/float16'
import { cleanOrtMessage } from '../worker/ort-message'
import { createSession } from '../optimize/ort-feeds'
import { sessionOptions, tfjsOpener } from './bench-task'
import type { BenchSession } from '../tfjs/tfjs-runner'

export interface ModelOutputsParams {
  readonly modelPath: string
  readonly batches: readonly Feed[]
  readonly threads?: number
}

export interface OutputValues {
  /** Shape of the whole output: batches' leading dims summed, the rest as the model gave them. */
  readonly dims: readonly number[]
  readonly data: Float32Array | Float64Array
}

export interface ModelOutputsResult {
  readonly outputs: Readonly<Record<string, OutputValues>>
}

function asFloats(tensor: ort.Tensor): Float32Array | Float64Array {
  const data = tensor.data
  if (data instanceof Float32Array || data instanceof Float64Array) return data
  if (tensor.type === 'float16') return float16ArrayToFloat32(data as Uint16Array)
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, Number)
  if (Array.isArray(data)) throw new UserError(`output of type ${tensor.type} cannot be compared numerically`)
  return Float64Array.from(data as ArrayLike<number>)
}

function concat(parts: readonly (Float32Array | Float64Array)[]): Float32Array | Float64Array {
  const wide = parts.some((p) => p instanceof Float64Array)
  const out = wide ? new Float64Array(parts.reduce((n, p) => n + p.length, 0)) : new Float32Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

export async function modelOutputs(params: ModelOutputsParams, ctx: JobContext): Promise<ModelOutputsResult> {
  ctx.progress(0, 'loading')
  let session: Pick<ort.InferenceSession, 'run' | 'release' | 'outputNames'> | BenchSession
  try {
    const openTfjs = await tfjsOpener(params.modelPath)
    session = openTfjs
      ? await openTfjs(params.modelPath)
      : await createSession(params.modelPath, sessionOptions(params.threads ?? 1))
  } catch (error) {
    if (error instanceof UserError) throw error
    throw runtimeError('ONNX Runtime cannot load it', cleanOrtMessage(error), params.modelPath)
  }
  const parts = new Map<string, { dims: number[]; data: (Float32Array | Float64Array)[] }>()
  for (const [index, batch] of params.batches.entries()) {
    ctx.throwIfCancelled()
    const feeds: Record<string, ort.Tensor> = {}
    for (const [name, t] of Object.entries(batch))
      feeds[name] = new ort.Tensor(t.dtype as ort.Tensor.Type, t.data as ort.Tensor.DataType, [...t.dims])
    let results: ort.InferenceSession.OnnxValueMapType
    try {
      results = await session.run(feeds)
    } catch (error) {
      throw runtimeError(`the model fails to run on batch ${index + 1}`, cleanOrtMessage(error), params.modelPath)
    }
    for (const name of session.outputNames) {
      const tensor = results[name] as ort.Tensor
      const dims = [...tensor.dims]
      const seen = parts.get(name)
      if (seen) {
        seen.data.push(asFloats(tensor))
        if (dims.length > 0 && seen.dims.length > 0) seen.dims[0] = (seen.dims[0] as number) + (dims[0] as number)
      } else parts.set(name, { dims, data: [asFloats(tensor)] })
    }
    ctx.progress((index + 1) / params.batches.length, 'running', `${index + 1}/${params.batches.length} batches`)
  }
  await session.release()
  const outputs: Record<string, OutputValues> = {}
  for (const [name, part] of parts) outputs[name] = { dims: part.dims, data: concat(part.data) }
  return { outputs }
}
