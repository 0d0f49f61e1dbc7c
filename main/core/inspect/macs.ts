// Multiply-accumulate estimate from inferred shapes: the compute-heavy ops only (Conv, ConvTranspose,
// Gemm, MatMul and their quantized forms). Null when any of them has a shape the inference left unknown,
// so a partial sum never passes for the whole.
import type { MacsEstimate } from '../../../preload/api'
import type { GraphProto, NodeProto } from '../onnx/onnx-types'
import { subgraphsOf } from '../onnx/graph-walk'
import type { Dim, ShapeMap } from '../onnx/shape-inference'
import { toNumber } from '../onnx/codec'

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1)
const known = (dims: readonly Dim[] | undefined): dims is number[] => dims !== undefined && dims.every((d) => typeof d === 'number')

/** Where each MAC-bearing op keeps its data input, weight input and output. */
const macOps: Readonly<Record<string, { readonly x: number; readonly w: number }>> = {
  Conv: { x: 0, w: 1 },
  ConvInteger: { x: 0, w: 1 },
  QLinearConv: { x: 0, w: 3 },
  ConvTranspose: { x: 0, w: 1 },
  Gemm: { x: 0, w: 1 },
  MatMul: { x: 0, w: 1 },
  MatMulInteger: { x: 0, w: 1 },
  QLinearMatMul: { x: 0, w: 3 },
}

function isMacNode(node: NodeProto): boolean {
  return (!node.domain || node.domain === 'ai.onnx') && (node.opType ?? '') in macOps
}

/** MACs of one node, or undefined when its shapes are not all known. */
export function nodeMacs(node: NodeProto, shapes: ShapeMap): number | undefined {
  const op = node.opType ?? ''
  const roles = macOps[op]
  if (!roles) return 0
  const x = shapes.get(node.input?.[roles.x] ?? '')?.shape
  const w = shapes.get(node.input?.[roles.w] ?? '')?.shape
  const y = shapes.get(node.output?.[0] ?? '')?.shape
  if (!known(x) || !known(w) || !known(y)) return undefined
  // Weights are [M, C/group, k...] for Conv and [C, M/group, k...] for ConvTranspose: each output (Conv)
  // or input (ConvTranspose) element meets one weight slice.
  if (op === 'ConvTranspose') return product(x) * product(w.slice(1))
  if (op.includes('Conv')) return product(y) * product(w.slice(1))
  if (op === 'Gemm') {
    const transA = toNumber(node.attribute?.find((a) => a.name === 'transA')?.i ?? 0)
    return product(y) * (transA ? (x[0] as number) : (x[1] as number))
  }
  // MatMul: every output element is a dot product over the shared dimension.
  const k = x.length === 1 ? (x[0] as number) : (x[x.length - 1] as number)
  return product(y) * k
}

/**
 * Total MACs of the graph's MAC-bearing nodes; null when any is unsized or sits in a subgraph, with the first
 * such node named, so the Overview can say where the estimate stopped.
 */
export function estimateMacs(graph: GraphProto, shapes: ShapeMap): MacsEstimate {
  let total = 0
  for (const node of graph.node ?? []) {
    const label = `${node.opType ?? ''} '${node.name || node.output?.[0] || '?'}'`
    for (const sub of subgraphsOf(node)) if (containsMacNodes(sub)) return { macs: null, unknownAt: `the body of ${label}` }
    const macs = nodeMacs(node, shapes)
    if (macs === undefined) return { macs: null, unknownAt: label }
    total += macs
  }
  return { macs: total }
}

function containsMacNodes(graph: GraphProto): boolean {
  return (graph.node ?? []).some((n) => isMacNode(n) || subgraphsOf(n).some(containsMacNodes))
}
