// TensorFlow SavedModel folders (saved_model.pb + variables/): only native TensorFlow reads them, which in
// Node means @tensorflow/tfjs-node. Without it the user is told what to install, or how to convert.
import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { FileError } from '../errors'

/** Whether `path` is a SavedModel folder, or a saved_model.pb inside one. */
export async function isSavedModel(path: string): Promise<boolean> {
  const exists = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined))?.isFile() ?? false
  if (/saved_model\.pb(txt)?$/.test(path)) return exists(path)
  return (await exists(join(path, 'saved_model.pb'))) || (await exists(join(path, 'saved_model.pbtxt')))
}

/** Whether @tensorflow/tfjs-node is installed (resolved, not loaded: the inspector must stay light). */
function nativeTfjsInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node')
    return true
  } catch {
    return false
  }
}

export const savedModelInstallHint =
  'is a TensorFlow SavedModel, which needs native TensorFlow: install it with `npm install @tensorflow/tfjs-node` ' +
  '(it downloads libtensorflow), or convert the folder first with `tensorflowjs_converter --input_format=tf_saved_model` ' +
  '(TF.js graph-model) or `python -m tf2onnx.convert --saved-model` (ONNX)'

/** The import error for a SavedModel: what to install when tfjs-node is absent; how to convert when it is present. */
export async function savedModelError(path: string): Promise<FileError> {
  if (!nativeTfjsInstalled()) return new FileError(path, savedModelInstallHint)
  return new FileError(
    path,
    'is a TensorFlow SavedModel: `slipway bench` and `slipway compare` run it through tfjs-node, but the workbench imports ' +
      'and optimizes ONNX and TF.js models: convert it with `tensorflowjs_converter --input_format=tf_saved_model` or tf2onnx',
  )
}
