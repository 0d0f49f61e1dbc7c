// TF.js models behind the benchmark engine's session interface (the subset of an ONNX Runtime session it
// uses: run named feeds, read named outputs, release), so `bench` and `compare` time and compare TF.js
// models with the same loop and the same JSON as ONNX ones. Runs on the inference backend (tfjs-node,
// else wasm); the runtime label says which.
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { loadTfjsModel } from './tfjs-model'

/** What the benchmark and output tasks need of a loaded model. */
export interface BenchSession {
  readonly runtime: string
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]
  run(feeds: Readonly<Record<string, ort.Tensor>>): Promise<Record<string, ort.Tensor>>
  release(): Promise<void>
}

/**
 * Loads a TF.js model for timing. Feeds are turned into TF.js tensors once per feeds object (the timing
 * loop passes the same one every run), and each run downloads its outputs, as ONNX Runtime returns them.
 */
export async function openTfjsSession(path: string): Promise<BenchSession> {
  const model = await loadTfjsModel(path)
  const inputNames = model.inputs.map((i) => i.name)
  const outputNames = model.outputs.map((o) => o.name)
  const converted = new WeakMap<object, tf.Tensor[]>()
  const toTfjs = (feeds: Readonly<Record<string, ort.Tensor>>): tf.Tensor[] => {
    const cached = converted.get(feeds)
    if (cached) return cached
    const tensors = inputNames.map((name) => {
      const t = feeds[name]
      if (!t) throw new Error(`no feed for input '${name}'`)
      return tf.tensor(t.data as Float32Array | Int32Array, [...t.dims], t.type === 'int32' ? 'int32' : 'float32')
    })
    converted.set(feeds, tensors)
    return tensors
  }
  const made: tf.Tensor[][] = []
  return {
    runtime: model.backend.label,
    inputNames,
    outputNames,
    run: async (feeds) => {
      const inputs = toTfjs(feeds)
      if (!made.includes(inputs)) made.push(inputs)
      const outputs = await model.run(inputs)
      const result: Record<string, ort.Tensor> = {}
      for (const [i, t] of outputs.entries())
        result[outputNames[i] ?? `output_${i}`] = new ort.Tensor('float32', Float32Array.from(await t.data()), t.shape)
      tf.dispose(outputs)
      return result
    },
    release: async () => {
      for (const tensors of made) tf.dispose(tensors)
      model.dispose()
    },
  }
}
