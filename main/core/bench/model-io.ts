// The inputs and outputs a benchmark, comparison or profile feeds and reads, read from the model file in the
// worker that plans it, so that bad requests are refused before any model runs.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type { Dim, TensorInfo } from '../../../preload/api'
import { FileError } from '../errors'
import { externalDataFiles } from '../onnx/external-data'
import type { ValueInfoProto } from '../onnx/onnx-types'
import { readOnnxModel } from '../onnx/model-file'
import { dimOf } from '../onnx/shape-inference'
import { dtypeName } from '../onnx/tensor-data'
import { isSavedModel } from '../tfjs/saved-model'
import { isTfjsModelPath, readTfjsModelIo } from '../tfjs/tfjs-io'

export interface IoInfo {
  readonly name: string
  /** ONNX Runtime's element type name ('float32', 'int64'...). */
  readonly dtype: string
  /** Fixed sizes as numbers, symbolic dims by name ('?' when anonymous); undefined when the model gives no shape. */
  readonly dims: readonly Dim[] | undefined
}

export interface ModelIo {
  readonly path: string
  /** What runs it: ONNX Runtime, or TF.js (model.json, or a SavedModel through tfjs-node). */
  readonly runtime: 'onnx' | 'tfjs'
  readonly inputs: readonly IoInfo[]
  readonly outputs: readonly IoInfo[]
  /** Bytes on disk: the model file plus its external data files. */
  readonly sizeBytes: number
}

function ioInfo(value: ValueInfoProto): IoInfo {
  const tensor = value.type?.tensorType
  const shape = tensor?.shape
  return {
    name: value.name ?? '',
    dtype: dtypeName(tensor?.elemType),
    dims: shape?.dim?.map(dimOf),
  }
}

export async function readModelIo(path: string): Promise<ModelIo> {
  if (isTfjsModelPath(path)) return readTfjsModelIo(path)
  if (await isSavedModel(path)) return (await import('../tfjs/saved-model-native')).readSavedModelIo(path)
  const { model, bytes } = await readOnnxModel(path)
  const graph = model.graph ?? {}
  // Before IR 4, initializers were listed as graph inputs too; they are weights, not things to feed.
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name))
  const inputs = (graph.input ?? []).filter((input) => !initializers.has(input.name)).map(ioInfo)
  for (const input of inputs)
    if (input.dtype.startsWith('unknown') || input.dtype === 'string')
      throw new FileError(path, `input '${input.name}' has element type ${input.dtype}, which the benchmark cannot generate`)
  let sizeBytes = bytes.length
  for (const file of await externalDataFiles(path, model)) sizeBytes += file.size
  return { path, runtime: 'onnx', inputs, outputs: (graph.output ?? []).map(ioInfo), sizeBytes }
}

/** sha256 over an ONNX model and its external data files, in order: equal digests are the same model. undefined for TF.js. */
export async function modelDigest(path: string): Promise<string | undefined> {
  if (isTfjsModelPath(path) || (await isSavedModel(path))) return undefined
  const { model, bytes } = await readOnnxModel(path)
  const hash = createHash('sha256').update(bytes)
  for (const file of await externalDataFiles(path, model)) for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export function tensorInfos(io: ModelIo): TensorInfo[] {
  return io.inputs.map((input) => ({ name: input.name, dtype: input.dtype, shape: input.dims ?? [] }))
}
