// What the graph canvas lays out, built from a model's graph and what the user opened: top-level nodes in
// blocks (consecutive runs in graph order, cut where the name scope changes), each block laid out on its
// own so that layout time grows with the model, not faster; a block is one box until opened when the
// model is too big to draw whole. Nodes whose If/Loop/Scan bodies are open carry those bodies, laid out
// inside them. Stored weights are not nodes: they show in the node's panel.
import type { GraphBody, GraphNode, ModelGraph } from '../../preload/api'

/** Above this many nodes the graph opens with its blocks closed. */
export const OPEN_ALL_LIMIT = 3000
export const BLOCK_MAX = 60
const BLOCK_MIN = 8
/** Blocks of a model opened closed are bigger: fewer boxes to scan, one block laid out at a time. */
const CLOSED_BLOCK_MAX = 200
const CLOSED_BLOCK_MIN = 100

export interface ViewNode {
  readonly id: string
  readonly kind: 'op' | 'input' | 'output' | 'block'
  readonly title: string
  readonly subtitle: string
  readonly width: number
  readonly height: number
  /** An If/Loop/Scan node: its bodies can open in place. */
  readonly expandable?: boolean
  /** Its open bodies. */
  readonly bodies?: readonly ViewBody[]
}

export interface ViewEdge {
  readonly from: string
  readonly to: string
  readonly tensor: string
}

export interface ViewBody {
  readonly id: string
  readonly title: string
  readonly nodes: readonly ViewNode[]
  /** Edges between nodes of this body (nested bodies hold their own). */
  readonly edges: readonly ViewEdge[]
}

export interface ViewBlock extends ViewBody {
  readonly open: boolean
  /** Top-level graph nodes the block holds (its box's count when closed). */
  readonly size: number
  /** Changes when anything inside changes, so an unchanged block's layout is reused. */
  readonly key: string
}

export interface GraphView {
  readonly blocks: readonly ViewBlock[]
  /** Edges between blocks, or from a body to the scope outside it: drawn straight. */
  readonly crossEdges: readonly ViewEdge[]
}

export interface Block {
  readonly id: string
  readonly title: string
  readonly nodes: readonly GraphNode[]
}

const scopeOf = (name: string): string => name.replace(/^\//, '').split(/[/.]/).slice(0, 2).join('/')

function commonPrefix(names: readonly string[]): string {
  if (names.length === 0) return ''
  let prefix = names[0] as string
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1)
  return prefix.replace(/[/._-]*$/, '')
}

/**
 * Top-level nodes in graph order, except that nodes computing only from stored weights (Constant, the
 * DequantizeLinear of a weight) come just before their first consumer: a QDQ model lists all of them
 * first, which would fill the first block with nodes whose edges span the whole graph.
 */
export function blockOrder(graph: ModelGraph): GraphNode[] {
  const nodes = graph.main.nodes
  const pendingOutputs = new Map<string, GraphNode>()
  const isConstant = (node: GraphNode): boolean => node.inputs.every((t) => !t || graph.tensors[t]?.weight !== undefined || pendingOutputs.has(t))
  const out: GraphNode[] = []
  const emit = (node: GraphNode): void => {
    for (const t of node.inputs) {
      const producer = pendingOutputs.get(t)
      if (!producer) continue
      for (const o of producer.outputs) pendingOutputs.delete(o)
      emit(producer)
    }
    out.push(node)
  }
  for (const node of nodes) {
    if (isConstant(node) && node.outputs.length > 0) for (const o of node.outputs) pendingOutputs.set(o, node)
    else emit(node)
  }
  for (const node of new Set(pendingOutputs.values())) out.push(node)
  return out
}

/** Consecutive runs of top-level nodes: at most BLOCK_MAX, cut where the scope changes once BLOCK_MIN are in. */
export function blocksOf(graph: ModelGraph): Block[] {
  const closed = graph.nodeCount > OPEN_ALL_LIMIT
  const max = closed ? CLOSED_BLOCK_MAX : BLOCK_MAX
  const min = closed ? CLOSED_BLOCK_MIN : BLOCK_MIN
  const blocks: GraphNode[][] = []
  let current: GraphNode[] = []
  for (const node of blockOrder(graph)) {
    const last = current.at(-1)
    if (current.length >= max || (last && current.length >= min && scopeOf(last.name) !== scopeOf(node.name))) {
      blocks.push(current)
      current = []
    }
    current.push(node)
  }
  if (current.length > 0) blocks.push(current)
  let start = 0
  return blocks.map((run, i) => {
    const prefix = commonPrefix(run.map((n) => n.name))
    const first = scopeOf(run[0]?.name ?? '')
    const last = scopeOf(run.at(-1)?.name ?? '')
    const title = first && last && first !== last ? `${first} … ${last}` : prefix.length >= 2 ? prefix : `nodes ${start + 1}–${start + run.length}`
    start += run.length
    return { id: `block${i}`, title, nodes: run }
  })
}

const CHAR = 6.6
export const NODE_HEIGHT = 38

function nodeSize(title: string, subtitle: string): { width: number; height: number } {
  return { width: Math.max(72, Math.min(220, Math.max(title.length * CHAR * 1.1, Math.min(subtitle.length, 30) * CHAR) + 20)), height: NODE_HEIGHT }
}

export interface ViewState {
  /** Blocks opened (for big models) or closed (small ones). */
  readonly toggledBlocks: ReadonlySet<string>
  /** Nodes whose bodies are open. */
  readonly openNodes: ReadonlySet<string>
}

export function isBlockOpen(graph: ModelGraph, blockId: string, state: ViewState): boolean {
  const openByDefault = graph.nodeCount <= OPEN_ALL_LIMIT
  return openByDefault !== state.toggledBlocks.has(blockId)
}

/** The node that writes each tensor, by scope: a body's own producers first, then its outer scopes'. */
type Producers = ReadonlyMap<string, string>

function bodyView(body: GraphBody, id: string, title: string, outer: Producers, state: ViewState, cross: ViewEdge[], weights: (t: string) => boolean, also: ReadonlySet<string> = new Set()): ViewBody {
  const producers = new Map(outer)
  for (const node of body.nodes) for (const out of node.outputs) if (out) producers.set(out, node.id)
  const local = new Set([...body.nodes.map((n) => n.id), ...also])
  const nodes: ViewNode[] = []
  const edges: ViewEdge[] = []
  for (const node of body.nodes) {
    const bodies = state.openNodes.has(node.id)
      ? (node.subgraphs ?? []).map((sub) => bodyView(sub, `${node.id}:${sub.attribute}`, sub.attribute, producers, state, cross, weights))
      : undefined
    const subtitle = node.name
    const expandable = (node.subgraphs?.length ?? 0) > 0
    nodes.push({ id: node.id, kind: 'op', title: node.op, subtitle, ...nodeSize(node.op, subtitle), ...(expandable ? { expandable } : {}), ...(bodies ? { bodies } : {}) })
    for (const tensor of new Set(node.inputs)) {
      const from = producers.get(tensor)
      if (!tensor || !from || weights(tensor)) continue
      ;(local.has(from) ? edges : cross).push({ from, to: node.id, tensor })
    }
  }
  return { id, title, nodes, edges }
}

/** Where each top-level node's id is laid out: its own id in an open block, the block's id otherwise. */
export function graphView(graph: ModelGraph, state: ViewState): GraphView {
  const weights = (t: string): boolean => graph.tensors[t]?.weight !== undefined
  const blocks = blocksOf(graph)
  const cross: ViewEdge[] = []
  const producers = new Map<string, string>()
  for (const input of graph.main.inputs) producers.set(input, `input:${input}`)
  const placed = new Map<string, string>()
  const viewBlocks: ViewBlock[] = blocks.map((block, i) => {
    const open = isBlockOpen(graph, block.id, state)
    const body: GraphBody = { attribute: '', nodes: block.nodes, inputs: [], outputs: [] }
    const io: ViewNode[] = []
    if (i === 0) for (const input of graph.main.inputs) io.push(ioNode(graph, `input:${input}`, 'input', input))
    // The graph's inputs sit in the first block, laid out with the nodes that read them there.
    const view = open ? bodyView(body, block.id, block.title, producers, state, cross, weights, new Set(io.map((n) => n.id))) : undefined
    if (i === blocks.length - 1) for (const output of graph.main.outputs) io.push(ioNode(graph, `output:${output}`, 'output', output))
    for (const node of block.nodes) for (const out of node.outputs) if (out) producers.set(out, node.id)
    for (const node of block.nodes) placed.set(node.id, open ? node.id : block.id)
    const blockNode: ViewNode = { id: block.id, kind: 'block', title: block.title, subtitle: `${block.nodes.length} nodes`, width: 240, height: 56 }
    const nodes = [...io, ...(view ? view.nodes : [blockNode])]
    const opened = [...state.openNodes].filter((id) => block.nodes.some((n) => id === n.id || id.startsWith(`${n.id}/`))).sort()
    return { id: block.id, title: block.title, nodes, edges: view?.edges ?? [], open, size: block.nodes.length, key: `${block.id}|${open}|${opened.join(',')}` }
  })
  const outputs = new Set(graph.main.outputs)
  const lastBlock = viewBlocks.at(-1)
  // Cross edges from and to nodes of closed blocks start and end at the block's box; the graph's outputs
  // get an edge from their producer.
  const ends = (id: string): string => {
    const top = id.split('/')[0] ?? id
    const place = placed.get(top)
    return place === top ? id : (place ?? id)
  }
  const edges: ViewEdge[] = []
  for (const e of cross) edges.push({ from: ends(e.from), to: ends(e.to), tensor: e.tensor })
  for (const block of blocks)
    for (const node of block.nodes) {
      for (const out of node.outputs) if (outputs.has(out) && lastBlock) edges.push({ from: ends(node.id), to: `output:${out}`, tensor: out })
      if (!isBlockOpen(graph, block.id, state))
        for (const tensor of node.inputs) {
          const from = producers.get(tensor)
          if (tensor && from && !weights(tensor) && ends(from) !== block.id) edges.push({ from: ends(from), to: block.id, tensor })
        }
    }
  const seen = new Set<string>()
  const unique = edges.filter((e) => {
    const key = `${e.from}>${e.to}`
    if (e.from === e.to || seen.has(key)) return false
    seen.add(key)
    return true
  })
  return { blocks: viewBlocks, crossEdges: unique }
}

function ioNode(graph: ModelGraph, id: string, kind: 'input' | 'output', tensor: string): ViewNode {
  const t = graph.tensors[tensor]
  const subtitle = t ? `${t.dtype}[${(t.shape ?? ['?']).join(',')}]` : ''
  return { id, kind, title: tensor, subtitle, ...nodeSize(tensor, subtitle) }
}
