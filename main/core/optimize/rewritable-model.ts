// The model as the weight rewrites (fp16, dynamic and int4 quantization, pruning) take it: runnable by
// ONNX Runtime (opsets before 7 upgraded), initializers no longer doubling as graph inputs (IR < 4), and
// weights that reach their layer through a Transpose or Reshape stored as such.
import { foldWeightLayouts } from '../onnx/fold-weight-layouts'
import type { ModelProto } from '../onnx/onnx-types'
import { runnableByRuntime, withoutInitializerInputs } from '../onnx/opset-upgrade'

export function rewritableModel(model: ModelProto, file: string): ModelProto {
  return foldWeightLayouts(withoutInitializerInputs(runnableByRuntime(model, file)))
}
