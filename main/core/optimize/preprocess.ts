// The float model static quantization calibrates and rewrites: ONNX Runtime's hardware-independent
// ("basic") optimizations applied first, as ONNX Runtime's own quant_pre_process does. BatchNormalization
// folds into Conv, Constant nodes and constant subexpressions become initializers, Identity and Dropout
// go away, MatMul+Add become Gemm; what is left are standard ONNX ops whose weights are stored tensors.
import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { openOnnxModel } from '../onnx/external-data-io'
import type { ModelProto } from '../onnx/onnx-types'
import { openSession } from './ort-feeds'

/**
 * Written to a new folder in `workDir`, which the caller removes when done with the model: a model with
 * external data keeps its weights in a side file there, read on demand. ONNX Runtime loads the model
 * from its path, so its own side files resolve.
 */
export async function basicOptimized(model: string | Uint8Array, file: string, external: boolean, workDir: string): Promise<{ model: ModelProto; dir: string }> {
  const dir = await mkdtemp(join(workDir, 'preprocess-'))
  const path = join(dir, 'optimized.onnx')
  const session = await openSession(model, 'it', {
    graphOptimizationLevel: 'basic',
    optimizedModelFilePath: path,
    ...(external ? { extra: { session: externalInitializers('optimized.onnx.data') } } : {}),
  }, file)
  await session.release()
  return { model: (await openOnnxModel(path)).model, dir }
}

/** ONNX Runtime's session options that write an optimized model's initializers to a side file. */
export function externalInitializers(location: string): Record<string, string> {
  return { optimized_model_external_initializers_file_name: location, optimized_model_external_initializers_min_size_in_bytes: '1024' }
}
