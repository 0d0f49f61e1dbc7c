// Unstructured magnitude pruning: the smallest weights of Conv/Gemm/MatMul layers become exact zeros.
// Dense kernels do not skip zeros, so the model is not faster; it compresses better (gzip, or the zero
// point of int8), which the summary reports honestly.
import { UserError } from '../errors'
import { indexGraph, storedTensor } from '../onnx/graph-index'
import { mapModelTensors } from '../onnx/graph-walk'
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../onnx/onnx-types'
import { elementCount, makeTensor, tensorToArray } from '../onnx/tensor-data'
import { computedWeightLayers } from './channel-groups'
import { checkSparsity } from './prune-limits'
import type { PruneScope, MagnitudeLayer, MagnitudePruneSummary } from '../../../preload/api'
import { nodeName } from '../onnx/node-label'

export interface MagnitudePruneOptions {
  /** Fraction of the weights to zero, in [0, 1). */
  readonly sparsity: number
  /** 'global': one magnitude threshold across the layers; 'layer': each layer reaches the sparsity. */
  readonly scope?: PruneScope
  readonly excludeNodes?: readonly string[]
  /** The first and last layers are the most sensitive and are kept unless this is set. */
  readonly includeFirstLast?: boolean
}

interface Candidate {
  readonly node: NodeProto
  readonly tensor?: TensorProto
  readonly skip?: string
}

function weightInput(node: NodeProto, graph: ReturnType<typeof indexGraph>): number {
  if (node.opType === 'MatMul' && node.input?.[0] && storedTensor(graph, node.input[0]) && !storedTensor(graph, node.input[1] ?? '')) return 0
  return 1
}

function candidates(graph: GraphProto, options: MagnitudePruneOptions): Candidate[] {
  const index = indexGraph(graph)
  const excluded = new Set(options.excludeNodes ?? [])
  const layers = (graph.node ?? []).filter((n) => !n.domain && ['Conv', 'Gemm', 'MatMul', 'ConvTranspose'].includes(n.opType ?? ''))
  const seen = new Set<TensorProto>()
  return layers.map((node, position): Candidate => {
    const name = node.input?.[weightInput(node, index)] ?? ''
    const tensor = storedTensor(index, name)
    if (!tensor) return { node, skip: index.producer.has(name) ? 'weights computed at run time' : 'weights are a model input' }
    if (tensor.dataType !== 1) return { node, skip: 'weights are not float32' }
    if (excluded.has(node.name ?? '')) return { node, skip: 'excluded' }
    if (!options.includeFirstLast && (position === 0 || position === layers.length - 1))
      return { node, skip: position === 0 ? 'first layer' : 'last layer' }
    if (seen.has(tensor)) return { node, skip: 'shares its weights with an earlier layer' }
    seen.add(tensor)
    return { node, tensor }
  })
}

/** Visits a set of arrays, in the same order each time it is called (it may read them again). */
export type EachArray = (visit: (values: Float32Array) => void) => void

/** Counts of |v|'s float32 bit pattern, 16 bits of it, over the arrays (`high`: only where the top 16 bits are). */
function bitHistogram(each: EachArray, high?: number): Float64Array {
  const counts = new Float64Array(1 << 16)
  each((values) => {
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length)
    for (let i = 0; i < bits.length; i++) {
      const a = (bits[i] as number) & 0x7fffffff
      if (high === undefined) counts[a >>> 16]!++
      else if (a >>> 16 === high) counts[a & 0xffff]!++
    }
  })
  return counts
}

/** The bucket holding the rank-th entry (1-based) and the rank within it. */
function bucketOf(counts: Float64Array, rank: number): { bucket: number; rank: number } {
  let below = 0
  for (let b = 0; b < counts.length; b++) {
    if (below + (counts[b] as number) >= rank) return { bucket: b, rank: rank - below }
    below += counts[b] as number
  }
  return { bucket: counts.length - 1, rank }
}

/**
 * The magnitude at or under which `count` of the values fall (|v| sorted ascending, the count-th), found
 * by selecting on the float32 bit patterns of |v| (their order is the values' order) in two passes over
 * the arrays: no copy of all the weights is made, so the arrays can be read one at a time from a file.
 */
export function magnitudeThresholdOf(each: EachArray, count: number): number {
  if (count <= 0) return -1
  const high = bitHistogram(each)
  const total = high.reduce((n, c) => n + c, 0)
  const top = bucketOf(high, Math.min(count, total))
  const low = bucketOf(bitHistogram(each, top.bucket), top.rank)
  return new Float32Array(Uint32Array.of(((top.bucket << 16) | low.bucket) >>> 0).buffer)[0] as number
}

/** The magnitude at or under which `count` of `values` fall (|v| sorted ascending, the count-th). */
export function magnitudeThreshold(values: readonly Float32Array[], count: number): number {
  return magnitudeThresholdOf((visit) => values.forEach(visit), count)
}

/** Entries with |v| below the threshold. */
function countBelow(data: Float32Array, threshold: number): number {
  let n = 0
  for (let i = 0; i < data.length; i++) if (Math.abs(data[i] as number) < threshold) n++
  return n
}

/** Zeros every entry under the threshold, and entries at it while `ties.left` lasts (exact counts). */
function zeroBelow(data: Float32Array, threshold: number, ties: { left: number }): Float32Array {
  const out = new Float32Array(data)
  for (let i = 0; i < out.length; i++) {
    const a = Math.abs(out[i] as number)
    if (a < threshold) out[i] = 0
    else if (a === threshold && ties.left > 0) {
      out[i] = 0
      ties.left--
    }
  }
  return out
}

function zeros(data: Float32Array): number {
  let n = 0
  for (let i = 0; i < data.length; i++) if (data[i] === 0) n++
  return n
}

export function pruneMagnitude(model: ModelProto, options: MagnitudePruneOptions): { model: ModelProto; summary: MagnitudePruneSummary } {
  checkSparsity(options.sparsity)
  const scope = options.scope ?? 'global'
  const graph = model.graph ?? {}
  const found = candidates(graph, options)
  const chosen = found.filter((c): c is Candidate & { tensor: TensorProto } => c.tensor !== undefined)
  if (chosen.length === 0) {
    const computed = computedWeightLayers(graph, indexGraph(graph))
    if (computed.length > 0)
      throw new UserError(`the weights of ${computed[0]?.node} are computed at run time by ${computed[0]?.op}, not stored in the model: there are no weights to prune`)
    const reasons = [...new Set(found.map((c) => c.skip))].join(', ')
    const hint = found.some((c) => c.skip === 'first layer' || c.skip === 'last layer') ? ': the first and last layers are kept unless you include them' : ''
    throw new UserError(found.length === 0 ? 'the model has no Conv, Gemm or MatMul layer to prune' : `no layer can be pruned (${reasons})${hint}`)
  }

  // Weights are read again for each pass rather than held: a model's weights may be external, read on demand.
  const read = (i: number): Float32Array => tensorToArray(chosen[i]?.tensor as TensorProto) as Float32Array
  const pruned = new Map<TensorProto, Float32Array>()
  const prune = (layers: readonly number[]): void => {
    const each: EachArray = (visit) => layers.forEach((i) => visit(read(i)))
    const size = layers.reduce((n, i) => n + elementCount(chosen[i]?.tensor.dims), 0)
    const count = Math.round(options.sparsity * size)
    const threshold = magnitudeThresholdOf(each, count)
    let below = 0
    each((values) => {
      below += countBelow(values, threshold)
    })
    const ties = { left: count - below }
    for (const i of layers) pruned.set(chosen[i]?.tensor as TensorProto, zeroBelow(read(i), threshold, ties))
  }
  const all = chosen.map((_, i) => i)
  if (scope === 'global') prune(all)
  else for (const i of all) prune([i])

  const rewritten = mapModelTensors(model, (tensor) => {
    const values = pruned.get(tensor)
    return values ? makeTensor(tensor.name ?? '', (tensor.dims ?? []).map(Number), values, tensor.dataType) : tensor
  })
  const layers = found.map((c): MagnitudeLayer => {
    const values = c.tensor ? (pruned.get(c.tensor) ?? (tensorToArray(c.tensor) as Float32Array)) : undefined
    return {
      node: nodeName(c.node),
      opType: c.node.opType ?? '',
      weights: values?.length ?? 0,
      sparsity: values && values.length > 0 ? zeros(values) / values.length : 0,
      ...(c.skip ? { kept: c.skip } : {}),
    }
  })
  const prunedValues = [...pruned.values()]
  const weightCount = prunedValues.reduce((n, v) => n + v.length, 0)
  return {
    model: rewritten,
    summary: {
      method: 'magnitude',
      scope,
      targetSparsity: options.sparsity,
      achievedSparsity: prunedValues.reduce((n, v) => n + zeros(v), 0) / weightCount,
      layers,
    },
  }
}
