// Weights that reach their layer through a Transpose or Reshape of a stored tensor (PyTorch's Linear
// exported as Transpose(W) → MatMul, CNTK's Reshape(W) → MatMul in mnist-8) are computed at run time, so a
// recipe that reads weights would find none. Folding those nodes into the stored result, as ONNX Runtime's
// constant folding would, gives the recipes the weights, in every graph of the model.
import { toNumber } from './codec'
import { mapSubgraphs } from './graph-walk'
import { indexGraph, storedTensor, withoutUnusedValues } from './graph-index'
import type { GraphProto, ModelProto, TensorProto } from './onnx-types'
import { makeTensor, tensorToArray, type TensorArray } from './tensor-data'

/** Row-major transpose of `data` (dims) by `perm`. Pure. */
export function transposeArray<T extends TensorArray>(data: T, dims: readonly number[], perm: readonly number[]): T {
  const rank = dims.length
  const outDims = perm.map((p) => dims[p] as number)
  const strides = new Array<number>(rank).fill(1)
  for (let i = rank - 2; i >= 0; i--) strides[i] = (strides[i + 1] as number) * (dims[i + 1] as number)
  const out = new (data.constructor as new (n: number) => T)(data.length)
  const index = new Array<number>(rank).fill(0)
  for (let o = 0; o < data.length; o++) {
    let from = 0
    for (let i = 0; i < rank; i++) from += (index[i] as number) * (strides[perm[i] as number] as number)
    out[o] = data[from] as never
    for (let i = rank - 1; i >= 0; i--) {
      index[i] = (index[i] as number) + 1
      if ((index[i] as number) < (outDims[i] as number)) break
      index[i] = 0
    }
  }
  return out
}

/** Reshape's target dims (0 copies the input's dim, -1 takes the rest), or undefined when invalid. */
function reshapeDims(dims: readonly number[], target: readonly number[]): number[] | undefined {
  const count = dims.reduce((a, b) => a * b, 1)
  const out = target.map((d, i) => (d === 0 ? (dims[i] as number) : d))
  const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1)
  const free = out.indexOf(-1)
  if (free >= 0) out[free] = known === 0 ? 0 : count / known
  return out.every((d) => Number.isInteger(d) && d >= 0) && out.reduce((a, b) => a * b, 1) === count ? out : undefined
}

function foldGraph(graph: GraphProto): GraphProto {
  const index = indexGraph(graph)
  const folded = new Map<string, TensorProto>()
  const stored = (name: string | undefined): TensorProto | undefined => (name ? (folded.get(name) ?? storedTensor(index, name)) : undefined)
  const node = (graph.node ?? []).flatMap((n) => {
    const copy = mapSubgraphs(n, foldGraph)
    const out = n.output?.[0]
    const x = stored(n.input?.[0])
    if (n.domain || !out || index.graphOutputs.has(out) || !x || x.externalData?.length) return [copy]
    const dims = (x.dims ?? []).map(toNumber)
    let result: TensorProto | undefined
    if (n.opType === 'Transpose') {
      const permAttr = n.attribute?.find((a) => a.name === 'perm')?.ints?.map(toNumber)
      const perm = permAttr?.length ? permAttr : dims.map((_, i) => dims.length - 1 - i)
      result = makeTensor(out, perm.map((p) => dims[p] as number), transposeArray(tensorToArray(x), dims, perm), x.dataType)
    } else if (n.opType === 'Reshape') {
      const shape = stored(n.input?.[1])
      const target = shape ? reshapeDims(dims, Array.from(tensorToArray(shape) as ArrayLike<number | bigint>, Number)) : undefined
      if (target) result = { ...x, name: out, dims: target }
    }
    if (!result) return [copy]
    folded.set(out, result)
    return []
  })
  if (folded.size === 0 && node.length === (graph.node ?? []).length && node.every((n, i) => n === graph.node?.[i])) return graph
  return withoutUnusedValues({ ...graph, node, initializer: [...(graph.initializer ?? []), ...folded.values()] })
}

export function foldWeightLayouts(model: ModelProto): ModelProto {
  return model.graph ? { ...model, graph: foldGraph(model.graph) } : model
}
