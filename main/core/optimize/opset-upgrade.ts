// Raising a model's ai.onnx opset to what the quantized form needs (13: QuantizeLinear with an axis for
// per-channel weights). Only done when every op in the graph means the same at the new version as at the
// old one; otherwise the user is told which op stands in the way.
import { UserError } from '../errors'
import { allNodes } from '../onnx/graph-walk'
import { opsetVersion } from '../onnx/graph-edit'
import type { ModelProto } from '../onnx/onnx-types'
import { toNumber } from '../onnx/codec'

/** The oldest opset from which each op's definition is unchanged, for inference, up to opset 13. */
const stableSince: Readonly<Record<string, number>> = {
  Conv: 1, Relu: 6, LeakyRelu: 6, Sigmoid: 6, Tanh: 6, MaxPool: 8, AveragePool: 7, GlobalAveragePool: 1,
  GlobalMaxPool: 1, Add: 7, Sub: 7, Mul: 7, Div: 7, MatMul: 1, Gemm: 7, Reshape: 5, Concat: 4, Flatten: 1,
  Transpose: 1, Identity: 1, Constant: 1, BatchNormalization: 9, Softmax: 1, Exp: 6, Sqrt: 6, Pow: 7,
  Shape: 1, Gather: 1, Cast: 6, LRN: 1, Tile: 6, Erf: 9, Neg: 6, Abs: 6, Max: 8, Min: 8, Sum: 8,
}

/** Softmax's meaning changed at 13 for rank > 2 inputs: allowed only where it reduces the last axis. */
const softmaxOk = (axis: number | undefined): boolean => axis === undefined || axis === -1 || axis === 1

export function upgradeOpset(model: ModelProto, target: number, file: string): ModelProto {
  const current = opsetVersion(model.opsetImport)
  if (current >= target) return model
  for (const node of allNodes(model)) {
    if (node.domain && node.domain !== 'ai.onnx') continue
    const op = node.opType ?? ''
    const since = stableSince[op]
    const axis = node.attribute?.find((a) => a.name === 'axis')?.i
    if (since === undefined || since > current || (op === 'Softmax' && !softmaxOk(axis === undefined ? undefined : toNumber(axis))))
      throw new UserError(
        `${file}: the model uses opset ${current}, and quantizing needs opset ${target}; its ${op} node${node.name ? ` '${node.name}'` : ''} changed meaning in between. Convert the model to opset ${target} first (onnx.version_converter).`,
      )
  }
  const opsetImport = (model.opsetImport ?? []).map((o) => ((o.domain ?? '') === '' || o.domain === 'ai.onnx' ? { ...o, version: target } : o))
  // IR 3 models list initializers as graph inputs too; from IR 4 on that would make them overridable
  // inputs that ONNX Runtime cannot treat as constant weights. IR 7 goes with opset 13.
  const graph = model.graph ?? {}
  const stored = new Set((graph.initializer ?? []).map((t) => t.name))
  const input = (graph.input ?? []).filter((i) => !stored.has(i.name))
  return { ...model, opsetImport, irVersion: Math.max(toNumber(model.irVersion), 7), graph: { ...graph, input } }
}
