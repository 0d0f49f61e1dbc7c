// Channel-dependency analysis for structured pruning. Every Conv/Gemm/MatMul with stored weights is a
// channel source; its output channels are followed through the ops that keep channels apart (activations,
// pooling, BatchNormalization, Flatten, Reshape, Concat) to the layers that read them. Elementwise ops
// that join two sourced values (residual Adds) tie their sources into one group, which must lose the same
// channels. A group whose channels reach something that cannot be sliced (a model output, an unknown op,
// a value computed at run time) is blocked: it stays intact and the reason is kept for the summary.
// The result lists every tensor edit that removing channels of the groups implies; nothing is changed here.
import { toNumber } from '../onnx/codec'
import { computingOp, type GraphIndex, storedTensor } from '../onnx/graph-index'
import { subgraphsOf } from '../onnx/graph-walk'
import { DataType, type GraphProto, type NodeProto } from '../onnx/onnx-types'
import { tensorToArray } from '../onnx/tensor-data'
import { nodeLabel } from '../onnx/node-label'
import { intAttr, intsAttr } from '../onnx/graph-edit'

/** Where a value keeps its channels: axis 1 (NCHW, and Gemm's [N, features]) or the last axis (MatMul). */
export type ChannelAxis = 'channel' | 'last'

/** A run of consecutive channels of a value that come from one source. */
export interface Segment {
  readonly source: number
  readonly count: number
}

interface Layout {
  readonly segments: readonly Segment[]
  readonly axis: ChannelAxis
  /** Known rank of the value (Conv outputs: the weight's rank; Gemm: 2). */
  readonly rank?: number
  /** Flattened from NCHW: each channel is a block of consecutive features. */
  readonly spread: boolean
}

export interface ChannelSource {
  readonly id: number
  readonly nodeName: string
  readonly opType: string
  readonly channels: number
  /** The weight input and the axis of its output channels. */
  readonly weightInput: number
  readonly weightAxis: number
}

/**
 * Slicing a stored input of a node along `axis` by the kept channels of `segments` (in order); with
 * `repeat` > 1 each channel stands for that many consecutive entries (a flattened feature map).
 */
export interface SliceEdit {
  readonly kind: 'slice'
  readonly node: NodeProto
  readonly input: number
  readonly axis: number
  readonly segments: readonly Segment[]
  readonly repeat: number
}

/** A depthwise Conv's `group` attribute becomes the kept channel count of `segments`. */
export interface GroupAttributeEdit {
  readonly kind: 'group-attribute'
  readonly node: NodeProto
  readonly segments: readonly Segment[]
}

/** Entry `position` of a Reshape's stored target shape scales with the kept channels of `segments`. */
export interface ReshapeEdit {
  readonly kind: 'reshape'
  readonly node: NodeProto
  readonly input: number
  readonly position: number
  readonly segments: readonly Segment[]
}

export type ChannelEdit = SliceEdit | GroupAttributeEdit | ReshapeEdit

export interface ChannelGroup {
  readonly id: number
  readonly sources: readonly ChannelSource[]
  readonly channels: number
  /** Why the group must stay intact; empty when it can be pruned. */
  readonly blockedBy: readonly string[]
}

export interface ChannelAnalysis {
  readonly sources: readonly ChannelSource[]
  readonly groups: readonly ChannelGroup[]
  readonly edits: readonly ChannelEdit[]
  /** Group of each source id. */
  readonly groupOf: ReadonlyMap<number, ChannelGroup>
  /** Values that carry channels of some source (their recorded shapes change when pruned). */
  readonly channelValues: ReadonlySet<string>
}

const unaryOps = new Set([
  'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'Celu', 'Gelu',
  'Erf', 'Softplus', 'Softsign', 'Mish', 'ThresholdedRelu', 'Abs', 'Neg', 'Exp', 'Log', 'Sqrt', 'Reciprocal',
  'Floor', 'Ceil', 'Round', 'Sign', 'Sin', 'Cos', 'Identity', 'Cast', 'Dropout',
])
const poolOps = new Set(['MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'])
const elementwiseOps = new Set(['Add', 'Sub', 'Mul', 'Div', 'Max', 'Min', 'Sum', 'Mean', 'PRelu'])
const normParams: Readonly<Record<string, number>> = { BatchNormalization: 4, InstanceNormalization: 2 }

/** The values of a stored int64/int32 tensor (shapes, axes), or undefined. */
export function storedInts(index: GraphIndex, name: string | undefined): number[] | undefined {
  const tensor = name ? storedTensor(index, name) : undefined
  if (!tensor || (tensor.dataType !== DataType.INT64 && tensor.dataType !== DataType.INT32)) return undefined
  try {
    return Array.from(tensorToArray(tensor) as BigInt64Array | Int32Array, Number)
  } catch {
    return undefined
  }
}

function total(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + s.count, 0)
}

class UnionFind {
  private readonly parent: number[] = []
  add(): number {
    this.parent.push(this.parent.length)
    return this.parent.length - 1
  }
  find(x: number): number {
    let root = x
    while (this.parent[root] !== root) root = this.parent[root] as number
    this.parent[x] = root
    return root
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b)
  }
}

/** Analyses the top-level graph (nodes are in topological order, as ONNX requires). */
/** `keep` maps node names whose output channels must stay to the reason ("excluded", "first layer"). */
export function analyzeChannels(graph: GraphProto, index: GraphIndex, keep: ReadonlyMap<string, string> = new Map()): ChannelAnalysis {
  const sources: ChannelSource[] = []
  const blocked: string[][] = []
  const edits: ChannelEdit[] = []
  const layouts = new Map<string, Layout>()
  const sets = new UnionFind()

  const block = (layout: Layout, reason: string): void => {
    for (const s of layout.segments) blocked[s.source]?.push(reason)
  }
  const dimsOf = (name: string | undefined): number[] | undefined => {
    const tensor = name ? storedTensor(index, name) : undefined
    return tensor ? (tensor.dims ?? []).map(toNumber) : undefined
  }
  const stored = (name: string | undefined): boolean => !!name && storedTensor(index, name) !== undefined
  const slice = (node: NodeProto, input: number, axis: number, layout: Layout, repeat = 1): void => {
    edits.push({ kind: 'slice', node, input, axis, segments: layout.segments, repeat })
  }

  /** Edits for a stored operand broadcast against a channel value; false when it cannot be sliced. */
  const sliceOperand = (node: NodeProto, input: number, layout: Layout): boolean => {
    const dims = dimsOf(node.input?.[input]) ?? []
    if (dims.reduce((a, b) => a * b, 1) === 1) return true
    let position: number
    if (layout.axis === 'last') position = dims.length - 1
    else if (layout.rank === undefined) return false
    else position = 1 - (layout.rank - dims.length)
    if (position < 0 || dims[position] === 1) return true
    if (layout.spread || dims[position] !== total(layout.segments)) return false
    slice(node, input, position, layout)
    return true
  }

  const newSource = (node: NodeProto, channels: number, weightInput: number, weightAxis: number): number => {
    const id = sets.add()
    sources.push({ id, nodeName: node.name || node.output?.[0] || `#${id}`, opType: node.opType ?? '', channels, weightInput, weightAxis })
    blocked.push([])
    const reason = keep.get(node.name || node.output?.[0] || '')
    if (reason) blocked[id]?.push(`${nodeLabel(node)} is ${reason}`)
    return id
  }

  /** Output layout of a node that reads channel values, recording the edits and blocks it implies. */
  const follow = (node: NodeProto, inputs: readonly { index: number; layout: Layout }[]): Layout | undefined => {
    const op = node.domain ? `${node.domain}.${node.opType}` : (node.opType ?? '')
    const first = inputs[0] as { index: number; layout: Layout }
    const L = first.layout
    const refuse = (why: string): undefined => {
      for (const i of inputs) block(i.layout, why)
      return undefined
    }
    const onlyInput0 = inputs.length === 1 && first.index === 0
    const feeds = `feeds ${nodeLabel(node)}`

    if (op === 'Conv') {
      if (!onlyInput0) return refuse(`${feeds} as a weight`)
      const w = dimsOf(node.input?.[1])
      if (!w) return refuse(`${nodeLabel(node)} computes its weights at run time`)
      if (L.axis !== 'channel' || L.spread) return refuse(`${feeds} in a layout Slipway cannot follow`)
      const group = intAttr(node, 'group', 1)
      const channels = total(L.segments)
      if (group === 1 && w[1] === channels) {
        slice(node, 1, 1, L)
        return undefined
      }
      if (group === channels && w[0] === channels && w[1] === 1) {
        slice(node, 1, 0, L)
        if (node.input?.[2]) {
          if (!stored(node.input[2])) return refuse(`${nodeLabel(node)} computes its bias at run time`)
          slice(node, 2, 0, L)
        }
        edits.push({ kind: 'group-attribute', node, segments: L.segments })
        return L
      }
      return refuse(`${feeds}, a grouped convolution`)
    }
    if (op === 'Gemm' || op === 'MatMul') {
      if (!onlyInput0) return refuse(`${feeds} as its second operand`)
      const w = dimsOf(node.input?.[1])
      if (!w || w.length !== 2) return refuse(`${feeds}, whose weights are not a stored matrix`)
      if (op === 'Gemm' && intAttr(node, 'transA', 0) !== 0) return refuse(`${feeds}, a transposed Gemm`)
      if (L.axis === 'channel' && L.rank !== 2) return refuse(`${feeds} before being flattened`)
      const kAxis = op === 'Gemm' && intAttr(node, 'transB', 0) === 1 ? 1 : 0
      const channels = total(L.segments)
      const repeat = (w[kAxis] as number) / channels
      if (!Number.isInteger(repeat) || (repeat !== 1 && !L.spread)) return refuse(`${feeds}, whose weight shape does not match`)
      slice(node, 1, kAxis, L, repeat)
      return undefined
    }
    if (unaryOps.has(op)) {
      if (!onlyInput0) return refuse(`${feeds} as a parameter`)
      if (op === 'Dropout' && node.output?.[1]) return refuse(`${feeds}, which also outputs its mask`)
      return L
    }
    if (poolOps.has(op)) {
      if (!onlyInput0 || L.axis !== 'channel' || L.spread || (node.output?.length ?? 1) > 1)
        return refuse(`${feeds} in a layout Slipway cannot follow`)
      return L
    }
    if (normParams[op] !== undefined) {
      if (!onlyInput0 || L.axis !== 'channel' || L.spread || (node.output?.length ?? 1) > 1)
        return refuse(`${feeds} in a layout Slipway cannot follow`)
      for (let i = 1; i <= (normParams[op] as number); i++) {
        if (dimsOf(node.input?.[i])?.[0] !== total(L.segments)) return refuse(`${feeds}, whose parameters are not stored per channel`)
      }
      for (let i = 1; i <= (normParams[op] as number); i++) slice(node, i, 0, L)
      return L
    }
    if (op === 'Flatten' || op === 'Reshape') {
      if (!onlyInput0 || L.axis !== 'channel' || L.rank === undefined) return refuse(`${feeds} in a layout Slipway cannot follow`)
      const flat: Layout = { segments: L.segments, axis: 'channel', rank: 2, spread: L.spread || L.rank > 2 }
      if (op === 'Flatten') return intAttr(node, 'axis', 1) === 1 ? flat : refuse(`${feeds} along another axis`)
      const target = storedInts(index, node.input?.[1])
      if (!target || target.length !== 2 || (target[0] === -1 && target[1] === -1)) return refuse(`${feeds}, whose target shape is not [batch, features]`)
      if (target[1] === -1) return flat
      if ((target[0] === 0 || target[0] === -1) && (target[1] as number) > 0) {
        edits.push({ kind: 'reshape', node, input: 1, position: 1, segments: L.segments })
        return flat
      }
      return refuse(`${feeds}, whose target shape fixes the batch`)
    }
    if (op === 'Squeeze' || op === 'Unsqueeze') {
      if (!onlyInput0 || L.axis !== 'channel' || L.rank === undefined || L.spread) return refuse(`${feeds} in a layout Slipway cannot follow`)
      const axes = intsAttr(node, 'axes') ?? storedInts(index, node.input?.[1])
      if (!axes) return refuse(`${feeds}, whose axes are not stored`)
      const inRank = L.rank
      const rank = op === 'Squeeze' ? inRank - axes.length : inRank + axes.length
      const normalized = axes.map((a) => (a < 0 ? a + (op === 'Squeeze' ? inRank : rank) : a))
      if (normalized.some((a) => a <= 1)) return refuse(`${feeds} at the batch or channel axis`)
      return { ...L, rank }
    }
    if (op === 'Concat') {
      const count = node.input?.length ?? 0
      if (inputs.length !== count) return refuse(`${feeds} beside values that carry no prunable channels`)
      const axis = intAttr(node, 'axis', 1)
      const ok = inputs.every(({ layout }) => {
        if (layout.spread || layout.axis !== L.axis) return false
        if (layout.axis === 'channel') return layout.rank !== undefined && (axis < 0 ? axis + layout.rank : axis) === 1
        return axis === -1 || (layout.rank !== undefined && axis === layout.rank - 1)
      })
      if (!ok) return refuse(`${feeds} along another axis`)
      const ordered = [...inputs].sort((a, b) => a.index - b.index)
      return { ...L, segments: ordered.flatMap((i) => i.layout.segments) }
    }
    if (elementwiseOps.has(op)) {
      for (const [i, name] of (node.input ?? []).entries()) {
        if (!name || inputs.some((x) => x.index === i)) continue
        if (!stored(name)) return refuse(`${feeds} with a value computed at run time`)
        if (!sliceOperand(node, i, L)) return refuse(`${feeds} with a constant Slipway cannot slice`)
      }
      for (const other of inputs.slice(1)) {
        const a = L.segments
        const b = other.layout.segments
        const same = a.length === b.length && a.every((s, i) => s.count === b[i]?.count) && other.layout.axis === L.axis && other.layout.spread === L.spread
        if (!same) return refuse(`${feeds}, joining values whose channels do not line up`)
        a.forEach((s, i) => sets.union(s.source, (b[i] as Segment).source))
      }
      return L
    }
    return refuse(`${feeds}, which Slipway cannot prune through`)
  }

  for (const node of graph.node ?? []) {
    const inputs: { index: number; layout: Layout }[] = []
    ;(node.input ?? []).forEach((name, i) => {
      const layout = name ? layouts.get(name) : undefined
      if (layout) inputs.push({ index: i, layout })
    })
    let out = inputs.length > 0 ? follow(node, inputs) : undefined
    if (subgraphsOf(node).length > 0)
      for (const [name, layout] of layouts)
        if (index.consumers.get(name)?.some((u) => u.node === node && u.index < 0))
          block(layout, `is read inside a subgraph of ${nodeLabel(node)}`)
    const source = out === undefined ? sourceOf(node, index) : undefined
    if (source) {
      const id = newSource(node, source.channels, source.weightInput, source.weightAxis)
      const own: Layout = { segments: [{ source: id, count: source.channels }], axis: source.axis, rank: source.rank, spread: false }
      slice(node, source.weightInput, source.weightAxis, own)
      if (source.bias && 'reason' in source.bias) blocked[id]?.push(`${nodeLabel(node)} ${source.bias.reason}`)
      else if (source.bias) slice(node, source.bias.input, source.bias.axis, own)
      out = own
    }
    const name = node.output?.[0]
    if (out && name) {
      layouts.set(name, out)
      if (index.graphOutputs.has(name)) block(out, `reaches the model output '${name}'`)
    }
  }

  const members = new Map<number, ChannelSource[]>()
  for (const s of sources) {
    const root = sets.find(s.id)
    members.set(root, [...(members.get(root) ?? []), s])
  }
  const groups: ChannelGroup[] = []
  const groupOf = new Map<number, ChannelGroup>()
  for (const list of members.values()) {
    const reasons = [...new Set(list.flatMap((s) => blocked[s.id] ?? []))]
    const group: ChannelGroup = { id: groups.length, sources: list, channels: (list[0] as ChannelSource).channels, blockedBy: reasons }
    groups.push(group)
    for (const s of list) groupOf.set(s.id, group)
  }
  return { sources, groups, edits, groupOf, channelValues: new Set(layouts.keys()) }
}

interface SourceShape {
  readonly channels: number
  readonly weightInput: number
  readonly weightAxis: number
  readonly axis: ChannelAxis
  readonly rank?: number
  readonly bias?: { readonly input: number; readonly axis: number } | { readonly reason: string }
}

const computedBias = { reason: 'computes its bias at run time' }

/** Whether a node produces output channels of its own (stored weights), and where they sit. */
function sourceOf(node: NodeProto, index: GraphIndex): SourceShape | undefined {
  if (node.domain) return undefined
  const weight = node.input?.[1] ? storedTensor(index, node.input[1]) : undefined
  if (!weight) return undefined
  const w = (weight.dims ?? []).map(toNumber)
  const biasName = node.input?.[2]
  const biasDims = biasName ? storedTensor(index, biasName)?.dims?.map(toNumber) : undefined
  if (node.opType === 'Conv' && intAttr(node, 'group', 1) === 1 && w.length >= 3) {
    const bias = biasName ? (biasDims ? { input: 2, axis: 0 } : computedBias) : undefined
    return { channels: w[0] as number, weightInput: 1, weightAxis: 0, axis: 'channel', rank: w.length, ...(bias ? { bias } : {}) }
  }
  if (node.opType === 'Gemm' && w.length === 2) {
    const transB = intAttr(node, 'transB', 0) === 1
    const channels = (transB ? w[0] : w[1]) as number
    const shape: SourceShape = { channels, weightInput: 1, weightAxis: transB ? 0 : 1, axis: 'channel', rank: 2 }
    if (!biasName) return shape
    if (!biasDims) return { ...shape, bias: computedBias }
    const count = biasDims.reduce((a, b) => a * b, 1)
    if (count === 1) return shape
    if (biasDims[biasDims.length - 1] !== channels || count !== channels)
      return { ...shape, bias: { reason: 'adds a bias that is not one value per output' } }
    return { ...shape, bias: { input: 2, axis: biasDims.length - 1 } }
  }
  if (node.opType === 'MatMul' && w.length === 2) {
    if (!node.input?.[0] || storedTensor(index, node.input[0])) return undefined
    return { channels: w[1] as number, weightInput: 1, weightAxis: 1, axis: 'last' }
  }
  return undefined
}

/** Conv/Gemm/MatMul nodes whose weights are computed at run time, with the op computing them. */
export function computedWeightLayers(graph: GraphProto, index: GraphIndex): { node: string; op: string }[] {
  const out: { node: string; op: string }[] = []
  for (const node of graph.node ?? []) {
    if (node.domain || !['Conv', 'Gemm', 'MatMul'].includes(node.opType ?? '')) continue
    const name = node.input?.[1]
    if (!name || storedTensor(index, name) || !index.producer.has(name)) continue
    out.push({ node: nodeLabel(node), op: computingOp(index, name) ?? 'another node' })
  }
  return out
}
