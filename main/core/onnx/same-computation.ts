// Whether a recipe's output computes exactly what its parent does: the same nodes (with the graphs inside
// them), weights, inputs, outputs and opsets. Names of the graph, doc strings, shape annotations
// (value_info) and metadata do not count: a rewrite that re-encodes a model unchanged adds or drops them.
import { encodeModel } from './codec'
import { forEachTensor } from './graph-walk'
import type { ModelProto } from './onnx-types'
import { hasExternalData } from './tensor-data'

function computation(model: ModelProto): Uint8Array {
  const graph = model.graph ?? {}
  return encodeModel({
    opsetImport: model.opsetImport ?? [],
    graph: { node: graph.node ?? [], initializer: graph.initializer ?? [], sparseInitializer: graph.sparseInitializer ?? [], input: graph.input ?? [], output: graph.output ?? [] },
  })
}

function external(model: ModelProto): boolean {
  let found = false
  forEachTensor(model, (tensor) => (found ||= hasExternalData(tensor)))
  return found
}

/**
 * True when both models compute the same thing from the same weights. Models with external data are never
 * called the same: their weights live in side files this check does not read.
 */
export function sameComputation(a: ModelProto, b: ModelProto): boolean {
  if (external(a) || external(b)) return false
  const x = computation(a)
  const y = computation(b)
  return x.length === y.length && Buffer.compare(x, y) === 0
}
