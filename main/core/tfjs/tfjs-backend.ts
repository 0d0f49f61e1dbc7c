// Which TensorFlow.js backend the engine runs on. @tensorflow/tfjs-node (native TensorFlow) is an optional
// dependency that cannot install everywhere; without it inference runs on the wasm backend (SIMD, about
// 35x faster than the pure-JS cpu backend) and training on the cpu backend (the wasm backend lacks most
// gradient kernels). Every result that depends on the backend says which one it was.
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { installFastConvGradient } from './cpu-conv-grad-kernel'

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu'

export interface TfjsBackendInfo {
  readonly name: TfjsBackendName
  /** What users read: "TensorFlow.js 4.22.0 (wasm backend, SIMD, 1 thread)". */
  readonly label: string
  /** Whether native TensorFlow (tfjs-node) is present; SavedModel loading needs it. */
  readonly nativeAvailable: boolean
}

const nativePackage = '@tensorflow/tfjs-node'

/** A SavedModel signature loaded by native TensorFlow: tfjs-node's TFSavedModel, as far as Slipway uses it. */
export interface NativeSavedModel {
  readonly inputs: readonly tf.ModelTensorInfo[]
  readonly outputs: readonly tf.ModelTensorInfo[]
  predict(inputs: tf.NamedTensorMap): tf.Tensor | tf.Tensor[] | tf.NamedTensorMap
  dispose(): void
}

/** What Slipway uses of tfjs-node beyond the 'tensorflow' backend it registers: its SavedModel API. */
export interface NativeTfjs {
  readonly node: {
    getMetaGraphsFromSavedModel(path: string): Promise<tf.MetaGraph[]>
    loadSavedModel(path: string, tags?: string[], signature?: string): Promise<NativeSavedModel>
  }
}

let nativeLoaded: Promise<NativeTfjs | undefined> | undefined

/** Loads tfjs-node once when it is installed (it registers the 'tensorflow' backend); undefined when absent. */
export function loadNativeTfjs(): Promise<NativeTfjs | undefined> {
  nativeLoaded ??= import(/* @vite-ignore */ nativePackage).then(
    (module: { default?: NativeTfjs } & Partial<NativeTfjs>) => (module.node ? (module as NativeTfjs) : module.default),
    () => undefined,
  )
  return nativeLoaded
}

let wasmPathSet = false

function pointWasmAtPackage(): void {
  if (wasmPathSet) return
  // In Node the wasm binaries are read from disk: the package's dist folder, as a file path prefix.
  const require = createRequire(import.meta.url)
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`)
  wasmPathSet = true
}

async function activate(name: TfjsBackendName): Promise<void> {
  if (tf.getBackend() === name) return
  if (name === 'wasm') pointWasmAtPackage()
  if (!(await tf.setBackend(name))) throw new Error(`the TensorFlow.js ${name} backend failed to start`)
  await tf.ready()
}

export function backendInfo(name: TfjsBackendName, nativeAvailable: boolean): TfjsBackendInfo {
  const detail =
    name === 'tensorflow'
      ? 'native TensorFlow via tfjs-node'
      : name === 'wasm'
        ? `wasm backend${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ', SIMD' : ''}, ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi-threaded' : '1 thread'}`
        : 'cpu backend, pure JavaScript'
  return { name, label: `TensorFlow.js ${tf.version.tfjs} (${detail})`, nativeAvailable }
}

/** The fastest inference backend present: tfjs-node, else wasm. */
export async function useInferenceBackend(): Promise<TfjsBackendInfo> {
  const native = (await loadNativeTfjs()) !== undefined
  const name: TfjsBackendName = native ? 'tensorflow' : 'wasm'
  await activate(name)
  return backendInfo(name, native)
}

/** A backend that can train: tfjs-node, else the cpu backend. */
export async function useTrainingBackend(): Promise<TfjsBackendInfo> {
  const native = (await loadNativeTfjs()) !== undefined
  const name: TfjsBackendName = native ? 'tensorflow' : 'cpu'
  // The cpu backend prints a "install tfjs-node" banner on first use in Node; the label says it instead.
  const warn = console.warn
  console.warn = () => undefined
  try {
    await activate(name)
    if (name === 'cpu') installFastConvGradient()
    tf.tidy(() => tf.zeros([1]).add(1))
  } finally {
    console.warn = warn
  }
  return backendInfo(name, native)
}
