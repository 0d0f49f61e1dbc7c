// Positions for a graph view: each body laid out with dagre (open If/Loop/Scan bodies first, side by side
// inside their node's box), then the blocks stacked top to bottom in graph order. Pure and synchronous: it
// runs in the layout Web Worker (layout-worker.ts) and in `npm run bench:graph`. Blocks are laid out
// separately because dagre's ordering grows faster than linearly with the nodes of one graph (and its
// recursion overflows the stack near 2,000 nodes); a block's layout is cached by its key.
import dagre from '@dagrejs/dagre'
import type { GraphView, ViewBody, ViewBlock, ViewEdge, ViewNode } from './view-model'

export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface PlacedNode extends Box {
  readonly node: ViewNode
  /** The body (block id, or `node:attribute`) the node sits in. */
  readonly parent: string
}

export interface PlacedEdge {
  readonly edge: ViewEdge
  readonly points: readonly { readonly x: number; readonly y: number }[]
}

export interface PlacedBody extends Box {
  readonly id: string
  readonly title: string
}

export interface GraphLayout {
  readonly width: number
  readonly height: number
  readonly nodes: readonly PlacedNode[]
  readonly edges: readonly PlacedEdge[]
  /** Open blocks and open bodies: frames drawn behind their nodes. */
  readonly bodies: readonly PlacedBody[]
}

interface Local {
  readonly width: number
  readonly height: number
  readonly nodes: PlacedNode[]
  readonly edges: PlacedEdge[]
  readonly bodies: PlacedBody[]
}

const PAD = 16
const HEADER = 34
const BLOCK_GAP = 48

function shift(local: Local, dx: number, dy: number, into: Local): void {
  for (const n of local.nodes) into.nodes.push({ ...n, x: n.x + dx, y: n.y + dy })
  for (const e of local.edges) into.edges.push({ edge: e.edge, points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) })
  for (const b of local.bodies) into.bodies.push({ ...b, x: b.x + dx, y: b.y + dy })
}

/** A body's nodes and edges in its own coordinates (top-left at 0,0). */
function layoutBody(body: ViewBody): Local {
  const inner = new Map<string, Local[]>()
  const sizes = new Map<string, { width: number; height: number }>()
  for (const node of body.nodes) {
    if (!node.bodies?.length) continue
    const parts = node.bodies.map(layoutBody)
    inner.set(node.id, parts)
    sizes.set(node.id, {
      width: Math.max(node.width, parts.reduce((w, p) => w + p.width + PAD, PAD)),
      height: HEADER + Math.max(...parts.map((p) => p.height + HEADER)) + PAD,
    })
  }
  const g = new dagre.graphlib.Graph({ multigraph: false })
  g.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 28, marginx: PAD, marginy: PAD, ranker: 'longest-path' })
  g.setDefaultEdgeLabel(() => ({}))
  for (const node of body.nodes) g.setNode(node.id, { ...(sizes.get(node.id) ?? { width: node.width, height: node.height }) })
  for (const edge of body.edges) if (g.hasNode(edge.from) && g.hasNode(edge.to)) g.setEdge(edge.from, edge.to)
  dagre.layout(g)
  const out: Local = { width: g.graph().width ?? 0, height: g.graph().height ?? 0, nodes: [], edges: [], bodies: [] }
  for (const node of body.nodes) {
    const at = g.node(node.id)
    const size = sizes.get(node.id) ?? { width: node.width, height: node.height }
    const x = at.x - size.width / 2
    const y = at.y - size.height / 2
    out.nodes.push({ node, parent: body.id, x, y, width: size.width, height: size.height })
    let dx = x + PAD
    for (const [k, part] of (inner.get(node.id) ?? []).entries()) {
      const sub = node.bodies?.[k]
      if (!sub) continue
      out.bodies.push({ id: sub.id, title: sub.title, x: dx, y: y + HEADER, width: part.width, height: part.height + HEADER })
      shift(part, dx, y + HEADER * 2, out)
      dx += part.width + PAD
    }
  }
  for (const edge of body.edges) {
    const placed = g.hasEdge(edge.from, edge.to) ? g.edge(edge.from, edge.to) : undefined
    if (placed?.points) out.edges.push({ edge, points: placed.points.map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })) })
  }
  return out
}

/** Layouts of blocks by key, so opening one block or one node lays out only its block again. */
export class LayoutCache {
  private readonly blocks = new Map<string, Local>()

  block(block: ViewBlock): Local {
    const cached = this.blocks.get(block.key)
    if (cached) return cached
    const local = layoutBody(block)
    this.blocks.set(block.key, local)
    return local
  }
}

export function layoutView(view: GraphView, cache: LayoutCache = new LayoutCache()): GraphLayout {
  const parts = view.blocks.map((block) => cache.block(block))
  const width = Math.max(0, ...parts.map((p) => p.width)) + 2 * PAD
  const out: Local = { width, height: 0, nodes: [], edges: [], bodies: [] }
  let y = PAD
  for (const [i, part] of parts.entries()) {
    const block = view.blocks[i] as ViewBlock
    const x = (width - part.width) / 2
    if (block.open) out.bodies.push({ id: block.id, title: block.title, x, y, width: part.width, height: part.height + HEADER })
    shift(part, x, block.open ? y + HEADER : y, out)
    y += part.height + (block.open ? HEADER : 0) + BLOCK_GAP
  }
  const at = new Map(out.nodes.map((n) => [n.node.id, n]))
  for (const edge of view.crossEdges) {
    const a = at.get(edge.from)
    const b = at.get(edge.to)
    if (a && b)
      out.edges.push({
        edge,
        points: [
          { x: a.x + a.width / 2, y: a.y + a.height },
          { x: b.x + b.width / 2, y: b.y },
        ],
      })
  }
  return { width, height: y, nodes: out.nodes, edges: out.edges, bodies: out.bodies }
}
