// TensorFlow SavedModels through tfjs-node, for `slipway bench` and `slipway compare`: the serving
// signature's inputs and outputs, and a session that runs it with the same loop as ONNX and TF.js models.
// Loaded only when a SavedModel is given; without tfjs-node the user is told what to install.
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { IoInfo, ModelIo } from '../bench/model-io'
import { FileError } from '../errors'
import { loadNativeTfjs, type NativeSavedModel, type NativeTfjs } from './tfjs-backend'
import type { BenchSession } from './tfjs-runner'
import { savedModelInstallHint } from './saved-model'

const SERVE_TAG = 'serve'
const DEFAULT_SIGNATURE = 'serving_default'

export interface ServingSignature {
  readonly tags: string[]
  readonly key: string
  readonly inputs: readonly IoInfo[]
  readonly outputs: readonly IoInfo[]
}

/** The SavedModel folder of a path: the folder itself, or the folder of its saved_model.pb. */
export function savedModelDir(path: string): string {
  return /saved_model\.pb(txt)?$/.test(basename(path)) ? dirname(path) : path
}

async function native(path: string, given?: NativeTfjs): Promise<NativeTfjs> {
  const module = given ?? (await loadNativeTfjs())
  if (!module) throw new FileError(path, savedModelInstallHint)
  return module
}

function ioInfo(key: string, info: tf.ModelTensorInfo): IoInfo {
  // TensorFlow marks unknown sizes -1; an unknown rank has no shape at all.
  return { name: key, dtype: info.dtype, dims: info.shape?.map((d) => (d >= 0 ? d : '?')) }
}

/** The meta graph tagged 'serve' (else the first) and its 'serving_default' signature (else the first). */
export function servingSignature(path: string, metaGraphs: readonly tf.MetaGraph[]): ServingSignature {
  const graph = metaGraphs.find((m) => m.tags.includes(SERVE_TAG)) ?? metaGraphs[0]
  // Keys such as __saved_model_init_op are TensorFlow's own, not functions to serve.
  const keys = Object.keys(graph?.signatureDefs ?? {}).filter((k) => !k.startsWith('__'))
  const key = keys.includes(DEFAULT_SIGNATURE) ? DEFAULT_SIGNATURE : keys[0]
  const entry = key === undefined ? undefined : graph?.signatureDefs[key]
  if (!graph || key === undefined || !entry) throw new FileError(path, 'the SavedModel has no signature to run (export it with a serving signature)')
  return {
    tags: graph.tags,
    key,
    inputs: Object.entries(entry.inputs).map(([name, info]) => ioInfo(name, info)),
    outputs: Object.entries(entry.outputs).map(([name, info]) => ioInfo(name, info)),
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    total += entry.isDirectory() ? await folderBytes(path) : (await stat(path)).size
  }
  return total
}

export async function readSavedModelIo(path: string, given?: NativeTfjs): Promise<ModelIo & { readonly signature: ServingSignature }> {
  const dir = savedModelDir(path)
  const signature = servingSignature(path, await (await native(path, given)).node.getMetaGraphsFromSavedModel(dir))
  return { path, runtime: 'tfjs', inputs: signature.inputs, outputs: signature.outputs, sizeBytes: await folderBytes(dir), signature }
}

function outputTensors(result: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap, names: readonly string[]): [string, tf.Tensor][] {
  if (result instanceof tf.Tensor) return [[names[0] ?? 'output_0', result]]
  if (Array.isArray(result)) return result.map((t, i) => [names[i] ?? `output_${i}`, t])
  return Object.entries(result)
}

/** A BenchSession over the serving signature; feeds are converted to TF.js tensors once per feeds object. */
export async function openSavedModelSession(path: string, given?: NativeTfjs): Promise<BenchSession> {
  const module = await native(path, given)
  const dir = savedModelDir(path)
  const signature = servingSignature(path, await module.node.getMetaGraphsFromSavedModel(dir))
  let model: NativeSavedModel
  try {
    model = await module.node.loadSavedModel(dir, signature.tags, signature.key)
  } catch (error) {
    throw new FileError(path, `native TensorFlow cannot load it: ${error instanceof Error ? error.message : String(error)}`)
  }
  const inputNames = signature.inputs.map((i) => i.name)
  const outputNames = signature.outputs.map((o) => o.name)
  const converted = new WeakMap<object, tf.NamedTensorMap>()
  const made: tf.NamedTensorMap[] = []
  return {
    runtime: 'TensorFlow (SavedModel through tfjs-node)',
    inputNames,
    outputNames,
    run: async (feeds) => {
      let inputs = converted.get(feeds)
      if (!inputs) {
        inputs = {}
        for (const input of signature.inputs) {
          const t = feeds[input.name]
          if (!t) throw new Error(`no feed for input '${input.name}'`)
          inputs[input.name] = tf.tensor(t.data as Float32Array | Int32Array, [...t.dims], input.dtype === 'int32' ? 'int32' : 'float32')
        }
        converted.set(feeds, inputs)
        made.push(inputs)
      }
      const result: Record<string, ort.Tensor> = {}
      const outputs = outputTensors(model.predict(inputs), outputNames)
      for (const [name, t] of outputs) result[name] = new ort.Tensor('float32', Float32Array.from(await t.data()), t.shape)
      tf.dispose(outputs.map(([, t]) => t))
      return result
    },
    release: async () => {
      for (const inputs of made) tf.dispose(Object.values(inputs))
      model.dispose()
    },
  }
}
