// Structured pruning: removes whole output channels (Conv) and hidden units (Gemm/MatMul) with the lowest
// weight norms, and everything that depends on them (consumers' input channels, BatchNormalization
// parameters, biases, depthwise groups, Reshape targets). The result is a smaller dense model that runs
// faster on dense kernels. Which tensors move together comes from channel-groups.ts.
import { ProblemError, UnchangedError, UserError } from '../errors'
import { toNumber } from '../onnx/codec'
import { intAttr } from '../onnx/graph-edit'
import { float16ArrayToFloat32 } from '../onnx/float16'
import { indexGraph, storedTensor, withoutUnusedValues } from '../onnx/graph-index'
import { DataType, type ModelProto, type NodeProto, type TensorProto } from '../onnx/onnx-types'
import { elementCount, makeTensor, type TensorArray, tensorToArray } from '../onnx/tensor-data'
import { analyzeChannels, type ChannelAnalysis, type ChannelGroup, type ChannelSource, computedWeightLayers } from './channel-groups'
import { checkRatio } from './prune-limits'
import { channelNorms, keptEntries, takeAlongAxis, topIndices } from './prune-slice'
import type { Criterion, IntactGroup, StructuredPruneSummary } from '../../../preload/api'
import { nodeLabel } from '../onnx/node-label'

export interface StructuredPruneOptions {
  /** Fraction of each prunable group's channels to remove, in [0, 1). */
  readonly ratio: number
  readonly criterion?: Criterion
  /** Node names whose output channels stay. */
  readonly excludeNodes?: readonly string[]
  /** Kept channel counts are rounded to multiples of this where the layer allows (default 16; 1: exact ratio). */
  readonly channelMultiple?: number
  /** Prune the first layer's output channels too (kept by default: it is the most sensitive). */
  readonly includeFirstLast?: boolean
}

/**
 * ONNX Runtime's fastest CPU convolutions (NCHWc) work on blocks of 16 channels (AVX-512; 8 on AVX2): a
 * layer left with 45 channels runs slower than one with 48. Kept counts of layers with at least four
 * blocks are rounded to the nearest multiple (at most half a block off the ratio); smaller layers keep
 * the exact count, where rounding would distort the ratio too much.
 */
export const defaultChannelMultiple = 16

export function alignedKeep(channels: number, keep: number, multiple: number): number {
  if (multiple <= 1 || channels % multiple !== 0 || channels < 4 * multiple) return keep
  return Math.min(channels, Math.max(multiple, Math.round(keep / multiple) * multiple))
}

function parameterCount(tensors: readonly TensorProto[] | undefined): number {
  return (tensors ?? []).reduce((sum, t) => sum + elementCount(t.dims), 0)
}

/** Normalized channel scores of a group: each source's norms over its mean, summed across sources. */
function groupScores(group: ChannelGroup, weights: (source: ChannelSource) => { data: ArrayLike<number>; dims: number[] }, criterion: Criterion): Float64Array {
  const scores = new Float64Array(group.channels)
  for (const source of group.sources) {
    const { data, dims } = weights(source)
    const norms = channelNorms(data, dims, source.weightAxis, criterion)
    const mean = norms.reduce((a, b) => a + b, 0) / norms.length || 1
    norms.forEach((n, c) => (scores[c] = (scores[c] as number) + n / mean))
  }
  return scores
}

/** The weights as numbers for scoring (float16 ones widened; the pruned tensors keep their type). */
function floatData(tensor: TensorProto, what: string): Float32Array | Float64Array {
  const data = tensorToArray(tensor)
  if (tensor.dataType === DataType.FLOAT16) return float16ArrayToFloat32(data as Uint16Array)
  if (!(data instanceof Float32Array || data instanceof Float64Array)) throw new UserError(`${what} holds non-float weights; structured pruning needs float weights`)
  return data
}

/** Why no channel would go: the groups left intact and why, or channel counts too small for the ratio. */
function nothingRemoved(ratio: number, intact: readonly IntactGroup[], allIntact: boolean, layers: readonly { channelsBefore: number }[], multiple: number): UnchangedError {
  if (allIntact) {
    const groups = intact.map((g) => `${g.nodes.join(', ')} (${g.reasons.join('; ')})`)
    // The UI's line stops at the verdict; every group and its reasons go behind its disclosure.
    return new UnchangedError(`structured pruning would remove no channel: every layer was left intact: ${groups.slice(0, 3).join('; ')}`, {
      reason: `structured pruning would remove no channel: every layer was left intact (${intact.length} group${intact.length === 1 ? '' : 's'})`,
      details: groups,
    })
  }
  const widest = Math.max(...layers.map((l) => l.channelsBefore))
  return new UnchangedError(
    `structured pruning at ratio ${ratio} would remove no channel (the prunable layers have at most ${widest} channels${multiple > 1 ? `, kept in multiples of ${multiple}` : ''}${intact.length ? `; the others are left intact: ${intact[0]?.reasons.join('; ')}` : ''}): use a larger ratio${multiple > 1 ? ' or channel multiple 1' : ''}`,
  )
}

export function pruneStructured(model: ModelProto, options: StructuredPruneOptions): { model: ModelProto; summary: StructuredPruneSummary } {
  checkRatio(options.ratio)
  const criterion = options.criterion ?? 'l1'
  const graph = model.graph ?? {}
  const index = indexGraph(graph)
  const keep = new Map((options.excludeNodes ?? []).map((name) => [name, 'excluded']))
  const first = (graph.node ?? []).find((n) => !n.domain && ['Conv', 'Gemm', 'MatMul'].includes(n.opType ?? ''))
  const firstName = first?.name || first?.output?.[0]
  if (firstName && !options.includeFirstLast && !keep.has(firstName)) keep.set(firstName, 'the first layer (kept by default)')
  const analysis = analyzeChannels(graph, index, keep)
  if (analysis.sources.length === 0) {
    const computed = computedWeightLayers(graph, index)
    if (computed.length > 0)
      throw new UserError(
        `the weights of ${computed[0]?.node}${computed.length > 1 ? ` and ${computed.length - 1} other layers` : ''} are computed at run time by ${computed[0]?.op}, not stored in the model: there are no weights to prune`,
      )
    const grouped = (graph.node ?? []).filter((n) => !n.domain && n.opType === 'Conv' && intAttr(n, 'group', 1) > 1)
    if (grouped.length > 0)
      throw new UserError(`the model's convolutions are grouped (${nodeLabel(grouped[0] as NodeProto)}: group ${intAttr(grouped[0] as NodeProto, 'group', 1)}), and structured pruning removes channels of ungrouped ones only`)
    throw new UserError('the model has no Conv, Gemm or MatMul layer with stored weights to prune')
  }

  const nodesByName = new Map((graph.node ?? []).map((n) => [n.name || n.output?.[0] || '', n]))
  const weights = (source: ChannelSource): { data: ArrayLike<number>; dims: number[] } => {
    const node = nodesByName.get(source.nodeName) as NodeProto
    const tensor = storedTensor(index, node.input?.[source.weightInput] ?? '') as TensorProto
    return { data: floatData(tensor, nodeLabel(node)), dims: (tensor.dims ?? []).map(toNumber) }
  }

  const multiple = options.channelMultiple ?? defaultChannelMultiple
  const keptByGroup = new Map<number, number[]>()
  for (const group of analysis.groups) {
    const all = Array.from({ length: group.channels }, (_, i) => i)
    if (group.blockedBy.length > 0 || options.ratio === 0) {
      keptByGroup.set(group.id, all)
      continue
    }
    const remove = Math.round(options.ratio * group.channels)
    if (remove >= group.channels) {
      const first = group.sources[0]
      throw new ProblemError({ code: 'ratio-empties-layer', ratio: options.ratio, channels: group.channels, op: first?.opType ?? '', node: first?.nodeName ?? '' })
    }
    const keep = alignedKeep(group.channels, group.channels - remove, multiple)
    keptByGroup.set(group.id, topIndices(groupScores(group, weights, criterion), keep))
  }
  const kept = (source: number): readonly number[] => keptByGroup.get(analysis.groupOf.get(source)?.id ?? -1) ?? []

  const rewritten = applyEdits(model, analysis, index, kept)
  const layers = analysis.sources.map((s) => ({
    node: s.nodeName,
    opType: s.opType,
    channelsBefore: s.channels,
    channelsAfter: kept(s.id).length,
    group: analysis.groupOf.get(s.id)?.id ?? -1,
  }))
  const intact = analysis.groups
    .filter((g) => g.blockedBy.length > 0)
    .map((g) => ({ nodes: g.sources.map((s) => s.nodeName), reasons: g.blockedBy }))
  if (layers.every((l) => l.channelsAfter === l.channelsBefore)) throw nothingRemoved(options.ratio, intact, analysis.groups.every((g) => g.blockedBy.length > 0), layers, multiple)
  return {
    model: rewritten,
    summary: {
      method: 'structured',
      ratio: options.ratio,
      criterion,
      channelMultiple: options.channelMultiple ?? defaultChannelMultiple,
      layers,
      intact,
      parametersBefore: parameterCount(graph.initializer),
      parametersAfter: parameterCount(rewritten.graph?.initializer),
    },
  }
}

interface PendingTensor {
  data: TensorArray
  dims: number[]
  readonly dataType: number
  readonly base: string
}

function applyEdits(model: ModelProto, analysis: ChannelAnalysis, index: ReturnType<typeof indexGraph>, kept: (source: number) => readonly number[]): ModelProto {
  const graph = model.graph ?? {}
  const clones = new Map<NodeProto, NodeProto>()
  const clone = (node: NodeProto): NodeProto => {
    let copy = clones.get(node)
    if (!copy) {
      copy = { ...node, input: [...(node.input ?? [])], attribute: [...(node.attribute ?? [])] }
      clones.set(node, copy)
    }
    return copy
  }
  // Edits of one input compose (a Conv both loses input channels and output channels of its weight).
  const pending = new Map<NodeProto, Map<number, PendingTensor>>()
  const pendingFor = (node: NodeProto, input: number): PendingTensor => {
    const perNode = pending.get(node) ?? new Map<number, PendingTensor>()
    pending.set(node, perNode)
    let entry = perNode.get(input)
    if (!entry) {
      const name = node.input?.[input] ?? ''
      const tensor = storedTensor(index, name) as TensorProto
      entry = { data: tensorToArray(tensor), dims: (tensor.dims ?? []).map(toNumber), dataType: tensor.dataType ?? DataType.FLOAT, base: tensor.name || name }
      perNode.set(input, entry)
    }
    return entry
  }

  for (const edit of analysis.edits) {
    const entries = keptEntries(edit.segments, kept)
    const channels = edit.segments.reduce((a, s) => a + s.count, 0)
    if (entries.length === channels) continue
    if (edit.kind === 'group-attribute') {
      const node = clone(edit.node)
      node.attribute = (node.attribute ?? []).map((a) => (a.name === 'group' ? { ...a, i: entries.length } : a))
    } else if (edit.kind === 'reshape') {
      const entry = pendingFor(edit.node, edit.input)
      const values = Array.from(entry.data as BigInt64Array | Int32Array, Number)
      values[edit.position] = ((values[edit.position] as number) / channels) * entries.length
      entry.data = entry.data instanceof BigInt64Array ? BigInt64Array.from(values.map(BigInt)) : Int32Array.from(values)
    } else {
      const entry = pendingFor(edit.node, edit.input)
      const indices = keptEntries(edit.segments, kept, edit.repeat)
      entry.data = takeAlongAxis(entry.data, entry.dims, edit.axis, indices)
      entry.dims = entry.dims.map((d, i) => (i === edit.axis ? indices.length : d))
    }
  }

  const used = new Set<string>([...index.producer.keys(), ...index.initializers.keys(), ...(graph.input ?? []).map((i) => i.name ?? '')])
  const fresh = (base: string): string => {
    let name = `${base}.pruned`
    for (let n = 2; used.has(name); n++) name = `${base}.pruned${n}`
    used.add(name)
    return name
  }
  const added: TensorProto[] = []
  for (const [node, perNode] of pending)
    for (const [input, entry] of perNode) {
      const name = fresh(entry.base)
      added.push(makeTensor(name, entry.dims, entry.data, entry.dataType))
      ;(clone(node).input as string[])[input] = name
    }

  const node = (graph.node ?? []).map((n) => clones.get(n) ?? n)
  const valueInfo = (graph.valueInfo ?? []).filter((v) => !analysis.channelValues.has(v.name ?? ''))
  const pruned = withoutUnusedValues({ ...graph, node, valueInfo, initializer: [...(graph.initializer ?? []), ...added] })
  return { ...model, graph: pruned }
}
