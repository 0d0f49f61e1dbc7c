// The float model static quantization calibrates and rewrites: ONNX Runtime's hardware-independent
// ("basic") optimizations applied first, as ONNX Runtime's own quant_pre_process does. BatchNormalization
// folds into Conv, Constant nodes and constant subexpressions become initializers, Identity and Dropout
// go away, MatMul+Add become Gemm; what is left are standard ONNX ops whose weights are stored tensors.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readOnnxModel } from '../onnx/model-file'
import type { ModelProto } from '../onnx/onnx-types'
import { openSession } from './ort-feeds'

export async function basicOptimized(modelBytes: Uint8Array, what: string, workDir?: string): Promise<ModelProto> {
  const dir = await mkdtemp(join(workDir ?? tmpdir(), 'slipway-preprocess-'))
  try {
    const path = join(dir, 'optimized.onnx')
    const session = await openSession(modelBytes, what, { graphOptimizationLevel: 'basic', optimizedModelFilePath: path })
    await session.release()
    return (await readOnnxModel(path)).model
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
