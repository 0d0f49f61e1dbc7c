// Overlays on the graph: what a recipe did to each node, from the graph itself and from what the recipe
// stored with the variant (its summary in the lineage). Quantization: the precision a node runs in, where
// Q/DQ pairs sit, the nodes kept float and why, and the per-layer SQNR of the error report as a colour
// scale. Pruning: channels before → after per layer, and the layers left intact with the reason. Diff:
// the variant and its parent merged into one graph (aligned by construction), nodes added, removed or
// changed. Time: per-node milliseconds from a profile, as a share of the total.
import type { GraphBody, GraphNode, LeftAsIs, ModelGraph, RecipeSummary, TensorError } from '../../preload/api'
import { sqnrBand } from '../compare/structural-diff'

export type OverlayKind = 'none' | 'quantization' | 'pruning' | 'diff' | 'time'

export interface NodeMark {
  /** CSS tone of the node (`tone-int8`, `tone-removed`...). */
  readonly tone: string
  readonly badge?: string
  /** Lines for the node's panel. */
  readonly facts: readonly { readonly label: string; readonly value: string }[]
}

export interface Overlay {
  readonly kind: OverlayKind
  readonly marks: ReadonlyMap<string, NodeMark>
  readonly legend: readonly { readonly tone: string; readonly label: string }[]
  readonly note?: string
}

/** How recipes name a node in summaries (`nodeLabel` in the engine): its name, else op and first output. */
export const nodeKey = (node: GraphNode): string => node.name || `${node.op}(${node.outputs[0] ?? ''})`

export function allNodes(body: GraphBody): GraphNode[] {
  return body.nodes.flatMap((n) => [n, ...(n.subgraphs ?? []).flatMap(allNodes)])
}

const QDQ = new Set(['QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear'])
const INTEGER_OPS = /^(QLinear|ConvInteger|MatMulInteger|DynamicQuantize(LSTM|MatMul))/

export type Precision = 'q/dq' | 'int8' | 'int4' | 'fp16' | 'float' | 'other'

export function precisionOf(node: GraphNode, graph: ModelGraph, producers: ReadonlyMap<string, GraphNode>): Precision {
  if (QDQ.has(node.op)) return 'q/dq'
  if (node.op === 'MatMulNBits') return 'int4'
  if (INTEGER_OPS.test(node.op)) return 'int8'
  // QDQ format: a node fed by DequantizeLinear runs on quantized data in ONNX Runtime's QDQ fusion.
  const dq = node.inputs.map((i) => producers.get(i)).find((p) => p?.op === 'DequantizeLinear')
  if (dq) return /int4/.test(graph.tensors[dq.inputs[0] ?? '']?.dtype ?? '') ? 'int4' : 'int8'
  const dtype = graph.tensors[node.outputs[0] ?? '']?.dtype ?? ''
  if (dtype === 'float16') return 'fp16'
  if (dtype.startsWith('float') || dtype === '') return 'float'
  return 'other'
}

const producersOf = (graph: ModelGraph): Map<string, GraphNode> => {
  const map = new Map<string, GraphNode>()
  for (const node of allNodes(graph.main)) for (const out of node.outputs) if (out) map.set(out, node)
  return map
}

const db = (value: number): string => `${value.toFixed(1)} dB`

export function quantizationOverlay(graph: ModelGraph, summary: Partial<RecipeSummary> | undefined): Overlay {
  const producers = producersOf(graph)
  const leftAsIs = new Map<string, LeftAsIs>((summary?.leftAsIs ?? []).map((l) => [l.node, l]))
  const errors = new Map<string, TensorError>()
  for (const e of summary?.errorReport ?? []) if (!errors.has(e.node) || (errors.get(e.node)?.sqnrDb ?? 0) > e.sqnrDb) errors.set(e.node, e)
  const marks = new Map<string, NodeMark>()
  for (const node of allNodes(graph.main)) {
    const precision = precisionOf(node, graph, producers)
    const kept = leftAsIs.get(nodeKey(node))
    const error = errors.get(nodeKey(node))
    const band = error ? sqnrBand(error.sqnrDb) : undefined
    const facts = [{ label: 'runs in', value: precision === 'q/dq' ? 'quantize / dequantize' : precision }]
    if (kept) facts.push({ label: 'kept float', value: kept.reason })
    if (error) facts.push({ label: 'SQNR vs float', value: `${db(error.sqnrDb)} (this layer alone ${db(error.qdqSqnrDb)})` })
    marks.set(node.id, {
      tone: band ? `sqnr-${band}` : kept ? 'tone-kept' : `tone-${precision.replace('/', '')}`,
      ...(error ? { badge: db(error.sqnrDb) } : kept ? { badge: 'float' } : precision !== 'float' && precision !== 'other' ? { badge: precision } : {}),
      facts,
    })
  }
  return {
    kind: 'quantization',
    marks,
    legend: [
      { tone: 'tone-int8', label: 'int8' },
      { tone: 'tone-int4', label: 'int4' },
      { tone: 'tone-fp16', label: 'float16' },
      { tone: 'tone-qdq', label: 'Q/DQ' },
      { tone: 'tone-kept', label: 'kept float' },
      ...(errors.size > 0
        ? [
            { tone: 'sqnr-good', label: 'SQNR ≥ 30 dB' },
            { tone: 'sqnr-fair', label: '20–30 dB' },
            { tone: 'sqnr-poor', label: '< 20 dB' },
          ]
        : []),
    ],
    ...(errors.size === 0 && summary?.recipe ? { note: 'No per-layer error report: quantize statically with the error report to colour layers by SQNR.' } : {}),
  }
}

interface PruneFacts {
  readonly method?: 'magnitude' | 'structured'
  readonly layers?: readonly { readonly node: string; readonly channelsBefore?: number; readonly channelsAfter?: number; readonly sparsity?: number; readonly kept?: string }[]
  readonly intact?: readonly { readonly nodes: readonly string[]; readonly reasons: readonly string[] }[]
}

export function pruningOverlay(graph: ModelGraph, summary: PruneFacts | undefined): Overlay {
  const layers = new Map((summary?.layers ?? []).map((l) => [l.node, l]))
  const intact = new Map<string, string>()
  for (const group of summary?.intact ?? []) for (const node of group.nodes) intact.set(node, group.reasons.join('; '))
  const marks = new Map<string, NodeMark>()
  for (const node of allNodes(graph.main)) {
    const key = nodeKey(node)
    const layer = layers.get(key)
    const reason = intact.get(key) ?? layer?.kept
    if (reason) {
      marks.set(node.id, { tone: 'tone-intact', badge: 'intact', facts: [{ label: 'left intact', value: reason }] })
    } else if (layer?.channelsBefore !== undefined && layer.channelsAfter !== undefined) {
      const removed = 1 - layer.channelsAfter / layer.channelsBefore
      marks.set(node.id, {
        tone: removed > 0 ? 'tone-pruned' : 'tone-intact',
        badge: `${layer.channelsBefore}→${layer.channelsAfter}`,
        facts: [{ label: 'output channels', value: `${layer.channelsBefore} → ${layer.channelsAfter} (${(removed * 100).toFixed(0)}% removed)` }],
      })
    } else if (layer?.sparsity !== undefined) {
      marks.set(node.id, { tone: 'tone-pruned', badge: `${(layer.sparsity * 100).toFixed(0)}% zero`, facts: [{ label: 'weights set to zero', value: `${(layer.sparsity * 100).toFixed(1)}%` }] })
    }
  }
  return {
    kind: 'pruning',
    marks,
    legend: [
      { tone: 'tone-pruned', label: summary?.method === 'magnitude' ? 'weights zeroed' : 'channels removed' },
      { tone: 'tone-intact', label: 'left intact' },
    ],
    ...(summary?.layers ? {} : { note: 'This variant holds no pruning summary.' }),
  }
}

export type DiffState = 'added' | 'removed' | 'changed' | 'same'

/** A node's identity across parent and variant: its name, else its op and first output. */
function signature(node: GraphNode, graph: ModelGraph): string {
  const weights = node.inputs.map((i) => graph.tensors[i]).filter((t) => t?.weight)
  return JSON.stringify([node.op, node.attributes, weights.map((t) => [t?.dtype, t?.shape]), node.inputs.map((i) => graph.tensors[i]?.dtype ?? '')])
}

/**
 * The variant's graph with the parent's removed nodes put back where they were (after the last node
 * both share), so both graphs are drawn as one; each node marked added, removed, changed or the same.
 */
export function diffOverlay(variant: ModelGraph, parent: ModelGraph): { graph: ModelGraph; overlay: Overlay } {
  const variantNodes = new Map(variant.main.nodes.map((n) => [nodeKey(n), n]))
  const variantIndex = new Map(variant.main.nodes.map((n, i) => [n, i]))
  const parentNodes = new Map(parent.main.nodes.map((n) => [nodeKey(n), n]))
  const nodes: GraphNode[] = []
  const marks = new Map<string, NodeMark>()
  const count: Record<DiffState, number> = { added: 0, removed: 0, changed: 0, same: 0 }
  const mark = (id: string, state: DiffState, detail?: string): void => {
    count[state]++
    if (state !== 'same') marks.set(id, { tone: `tone-${state}`, badge: state, facts: [{ label: 'against the parent', value: detail ?? state }] })
  }
  let cursor = 0
  const variantOrder = variant.main.nodes
  const take = (until: number): void => {
    for (; cursor < until; cursor++) {
      const node = variantOrder[cursor] as GraphNode
      nodes.push(node)
      const before = parentNodes.get(nodeKey(node))
      if (!before) mark(node.id, 'added')
      else if (signature(before, parent) !== signature(node, variant)) mark(node.id, 'changed', changeOf(before, node, parent, variant))
      else mark(node.id, 'same')
    }
  }
  for (const p of parent.main.nodes) {
    const match = variantNodes.get(nodeKey(p))
    if (match) take((variantIndex.get(match) ?? -1) + 1)
    else {
      const ghost: GraphNode = { ...p, id: `parent:${p.id}`, subgraphs: [] }
      nodes.push(ghost)
      mark(ghost.id, 'removed')
    }
  }
  take(variantOrder.length)
  const graph: ModelGraph = {
    ...variant,
    main: { ...variant.main, nodes },
    tensors: { ...parent.tensors, ...variant.tensors },
    nodeCount: variant.nodeCount + count.removed,
  }
  return {
    graph,
    overlay: {
      kind: 'diff',
      marks,
      legend: [
        { tone: 'tone-added', label: `added (${count.added})` },
        { tone: 'tone-removed', label: `removed (${count.removed})` },
        { tone: 'tone-changed', label: `changed (${count.changed})` },
      ],
    },
  }
}

function changeOf(before: GraphNode, after: GraphNode, parent: ModelGraph, variant: ModelGraph): string {
  if (before.op !== after.op) return `${before.op} → ${after.op}`
  const shapes = (n: GraphNode, g: ModelGraph): string =>
    n.inputs
      .map((i) => g.tensors[i])
      .filter((t) => t?.weight)
      .map((t) => `${t?.dtype}[${t?.shape?.join(',')}]`)
      .join(' ')
  const a = shapes(before, parent)
  const b = shapes(after, variant)
  if (a !== b) return `weights ${a} → ${b}`
  return 'attributes or input types changed'
}

/** Per-node time of a profile, by node name: the share of the total as the colour, milliseconds as the badge. */
export function timeOverlay(graph: ModelGraph, timesMs: ReadonlyMap<string, number>): Overlay {
  const total = [...timesMs.values()].reduce((a, b) => a + b, 0)
  const marks = new Map<string, NodeMark>()
  for (const node of allNodes(graph.main)) {
    const ms = timesMs.get(nodeKey(node))
    if (ms === undefined || total === 0) continue
    const share = ms / total
    marks.set(node.id, {
      tone: share >= 0.1 ? 'tone-hot' : share >= 0.02 ? 'tone-warm' : 'tone-cool',
      badge: `${ms.toFixed(2)} ms`,
      facts: [{ label: 'time', value: `${ms.toFixed(3)} ms, ${(share * 100).toFixed(1)}% of the run` }],
    })
  }
  return {
    kind: 'time',
    marks,
    legend: [
      { tone: 'tone-hot', label: '≥ 10% of the time' },
      { tone: 'tone-warm', label: '2–10%' },
      { tone: 'tone-cool', label: '< 2%' },
    ],
  }
}
