// A TF.js model loaded for running: layers-models and graph-models behind one interface (inputs, run a
// batch, release), used by verification, conversion and the benchmark runner. Graph-models are run once
// at load so that an op TF.js lacks is reported by name when the model is opened, not mid-benchmark.
import * as tf from '@tensorflow/tfjs'
import type { OutputComparison, RuntimeCheck, TfjsFormat, Validation } from '../../../preload/api'
import { FileError } from '../errors'
import { maxAbsError, topKAgreement } from '../bench/fidelity'
import { sqnrDb } from '../optimize/quant-params'
import { ioHandlerFor, readTfjsArtifacts, type TfjsArtifacts } from './node-io-handler'
import { useInferenceBackend, type TfjsBackendInfo } from './tfjs-backend'

export interface TfjsTensorInfo {
  readonly name: string
  /** null (or -1 in graph-models) for a dimension the model leaves open. */
  readonly shape: readonly (number | null)[]
  readonly dtype: string
}

export interface LoadedTfjsModel {
  readonly path: string
  readonly format: TfjsFormat
  readonly backend: TfjsBackendInfo
  readonly inputs: readonly TfjsTensorInfo[]
  readonly outputs: readonly TfjsTensorInfo[]
  /** Set for layers-models (training, conversion and pruning read their layers). */
  readonly layersModel?: tf.LayersModel
  /** Runs one batch; the caller disposes the returned tensors. */
  run(inputs: readonly tf.Tensor[]): Promise<tf.Tensor[]>
  dispose(): void
}

function openDims(shape: readonly (number | null)[] | undefined): (number | null)[] {
  return (shape ?? []).map((d) => (d === null || d < 0 ? null : d))
}

/** Rewrites TF.js's errors about ops and kernels into one naming the model and the op. */
export function explainGraphError(path: string, error: unknown, backend: string): Error {
  const message = error instanceof Error ? error.message : String(error)
  const unknownOp = /Unknown op '([^']+)'/.exec(message)
  if (unknownOp) return new FileError(path, `the graph-model uses op '${unknownOp[1]}', which TensorFlow.js ${tf.version.tfjs} does not implement`)
  const kernel = /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(message)
  if (kernel) return new FileError(path, `the graph-model needs op '${kernel[1]}', which the TensorFlow.js ${kernel[2]} backend lacks`)
  return new FileError(path, `TensorFlow.js (${backend}) cannot run the graph-model: ${message}`)
}

/** Concrete shape for a sample: open dimension 0 is the batch, other open dimensions are refused. */
export function concreteShape(path: string, input: TfjsTensorInfo, batch: number): number[] {
  return input.shape.map((d, i) => {
    if (d !== null) return d
    if (i === 0) return batch
    throw new FileError(path, `input '${input.name}' has an open dimension ${i}; only the batch dimension may be open`)
  })
}

async function loadLayers(artifacts: TfjsArtifacts, backend: TfjsBackendInfo): Promise<LoadedTfjsModel> {
  let model: tf.LayersModel
  try {
    model = await tf.loadLayersModel(ioHandlerFor(artifacts))
  } catch (error) {
    throw new FileError(artifacts.path, `TensorFlow.js cannot load the layers-model: ${error instanceof Error ? error.message : String(error)}`)
  }
  return {
    path: artifacts.path,
    format: 'tfjs-layers',
    backend,
    layersModel: model,
    inputs: model.inputs.map((t) => ({ name: t.sourceLayer.name, shape: openDims(t.shape), dtype: t.dtype })),
    outputs: model.outputs.map((t) => ({ name: t.sourceLayer.name, shape: openDims(t.shape), dtype: t.dtype })),
    run: async (inputs) => {
      const out = model.predict(inputs.length === 1 ? (inputs[0] as tf.Tensor) : [...inputs])
      return Array.isArray(out) ? out : [out]
    },
    dispose: () => model.dispose(),
  }
}

async function loadGraph(artifacts: TfjsArtifacts, backend: TfjsBackendInfo): Promise<LoadedTfjsModel> {
  let model: tf.GraphModel
  try {
    model = await tf.loadGraphModel(ioHandlerFor(artifacts))
  } catch (error) {
    throw explainGraphError(artifacts.path, error, backend.name)
  }
  const info = (t: tf.ModelTensorInfo): TfjsTensorInfo => ({ name: t.name, shape: openDims(t.shape), dtype: t.dtype })
  const inputs = model.inputs.map(info)
  // execute() is synchronous and cheaper; graphs with control flow or dynamic shapes need executeAsync().
  let dynamic = false
  const run = async (feeds: readonly tf.Tensor[]): Promise<tf.Tensor[]> => {
    const named: tf.NamedTensorMap = Object.fromEntries(inputs.map((input, i) => [input.name, feeds[i] as tf.Tensor]))
    try {
      if (!dynamic) {
        try {
          const out = model.execute(named)
          return Array.isArray(out) ? out : [out]
        } catch (error) {
          if (!/executeAsync/.test(error instanceof Error ? error.message : '')) throw error
          dynamic = true
        }
      }
      const out = await model.executeAsync(named)
      return Array.isArray(out) ? out : [out]
    } catch (error) {
      throw explainGraphError(artifacts.path, error, backend.name)
    }
  }
  const loaded: LoadedTfjsModel = {
    path: artifacts.path,
    format: 'tfjs-graph',
    backend,
    inputs,
    outputs: model.outputs.map(info),
    run,
    dispose: () => model.dispose(),
  }
  const probe = inputs.map((input) => tf.zeros(concreteShape(artifacts.path, input, 1), input.dtype as tf.DataType))
  try {
    tf.dispose(await run(probe))
  } catch (error) {
    model.dispose()
    throw error
  } finally {
    tf.dispose(probe)
  }
  return loaded
}

/** Loads a model.json on the current backend (the inference backend unless one was chosen already). */
export async function loadTfjsModel(path: string, backend?: TfjsBackendInfo): Promise<LoadedTfjsModel> {
  const active = backend ?? (await useInferenceBackend())
  const artifacts = await readTfjsArtifacts(path)
  return artifacts.format === 'tfjs-graph' ? loadGraph(artifacts, active) : loadLayers(artifacts, active)
}

/** Deterministic uniform [0, 1) inputs for one batch (the same seed gives the same tensors). */
export function sampleInputs(model: LoadedTfjsModel, batch: number, seed: number): tf.Tensor[] {
  return model.inputs.map((input, i) =>
    input.dtype === 'int32'
      ? tf.zeros(concreteShape(model.path, input, batch), 'int32')
      : tf.randomUniform(concreteShape(model.path, input, batch), 0, 1, 'float32', seed + i),
  )
}

/**
 * Runs parent and child on the same seeded uniform [0,1) batch and compares every output, in the shape
 * ONNX recipes report (SQNR, max |diff|, top-1 agreement for [rows, classes] outputs).
 */
export async function compareTfjsModels(parent: LoadedTfjsModel, child: LoadedTfjsModel, samples: number, seed: number): Promise<Validation> {
  const inputs = sampleInputs(parent, samples, seed)
  try {
    const [a, b] = [await parent.run(inputs), await child.run(inputs)]
    try {
      const outputs: OutputComparison[] = []
      for (const [i, ta] of a.entries()) {
        const tb = b[i] as tf.Tensor
        const name = parent.outputs[i]?.name ?? `output ${i}`
        const [va, vb] = [(await ta.data()) as Float32Array, (await tb.data()) as Float32Array]
        if (va.length !== vb.length) throw new FileError(child.path, `output '${name}' changed size (${va.length} values before, ${vb.length} after)`)
        const top1 = ta.rank === 2 && (ta.shape[1] ?? 0) >= 2 ? { top1Agreement: topKAgreement(va, vb, ta.shape[0] as number, 1) } : {}
        outputs.push({ name, sqnrDb: sqnrDb(va, vb), maxAbsDiff: maxAbsError(va, vb), ...top1 })
      }
      return { loads: true, rows: samples, inputs: 'random data', outputs }
    } finally {
      tf.dispose([...a, ...b])
    }
  } finally {
    tf.dispose(inputs)
  }
}

/** Whether TF.js loads (and, for graph-models, runs) the model: the runtime check shown on the model page. */
export async function checkTfjsRuntime(path: string): Promise<RuntimeCheck> {
  const backend = await useInferenceBackend()
  const started = performance.now()
  try {
    const model = await loadTfjsModel(path, backend)
    const sessionCreateMs = performance.now() - started
    model.dispose()
    return { loads: true, runtime: backend.label, sessionCreateMs }
  } catch (error) {
    return { loads: false, runtime: backend.label, error: error instanceof Error ? error.message : String(error) }
  }
}
