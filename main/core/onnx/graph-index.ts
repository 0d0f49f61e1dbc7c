// Who produces and who consumes each value of one graph, which values are stored constants, and removing
// what a rewrite left unused. Graph rewrites (pruning) look values up here instead of scanning nodes.
import { subgraphsOf } from './graph-walk'
import type { GraphProto, NodeProto, TensorProto } from './onnx-types'

export interface ValueUse {
  readonly node: NodeProto
  /** Input position, or -1 when a subgraph of the node reads the value (If/Loop/Scan bodies). */
  readonly index: number
}

export interface GraphIndex {
  readonly producer: ReadonlyMap<string, NodeProto>
  readonly consumers: ReadonlyMap<string, readonly ValueUse[]>
  readonly initializers: ReadonlyMap<string, TensorProto>
  readonly graphOutputs: ReadonlySet<string>
}

/** Every value name a graph reads, its nested subgraphs included (outer values they capture). */
function namesReadWithin(graph: GraphProto, into: Set<string>): void {
  for (const node of graph.node ?? []) {
    for (const name of node.input ?? []) if (name) into.add(name)
    for (const sub of subgraphsOf(node)) namesReadWithin(sub, into)
  }
}

export function indexGraph(graph: GraphProto): GraphIndex {
  const producer = new Map<string, NodeProto>()
  const consumers = new Map<string, ValueUse[]>()
  const use = (name: string, value: ValueUse): void => {
    const list = consumers.get(name)
    if (list) list.push(value)
    else consumers.set(name, [value])
  }
  for (const node of graph.node ?? []) {
    for (const name of node.output ?? []) if (name) producer.set(name, node)
    ;(node.input ?? []).forEach((name, index) => {
      if (name) use(name, { node, index })
    })
    const captured = new Set<string>()
    for (const sub of subgraphsOf(node)) namesReadWithin(sub, captured)
    for (const name of captured) use(name, { node, index: -1 })
  }
  const initializers = new Map<string, TensorProto>()
  for (const tensor of graph.initializer ?? []) if (tensor.name) initializers.set(tensor.name, tensor)
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ''))
  return { producer, consumers, initializers, graphOutputs }
}

/**
 * The stored tensor a value resolves to: an initializer or a Constant node's value, through Identity
 * nodes (exporters share equal weights that way). Undefined when the value is computed or an input.
 */
export function storedTensor(index: GraphIndex, name: string): TensorProto | undefined {
  let current = name
  for (let hops = 0; hops < 64; hops++) {
    const init = index.initializers.get(current)
    if (init) return init
    const node = index.producer.get(current)
    if (!node || node.domain) return undefined
    if (node.opType === 'Constant') return node.attribute?.find((a) => a.name === 'value')?.t
    if (node.opType !== 'Identity' || !node.input?.[0]) return undefined
    current = node.input[0]
  }
  return undefined
}

/** The operator that computes a value that is not stored ('ConstantOfShape'), for error messages. */
export function computingOp(index: GraphIndex, name: string): string | undefined {
  const node = index.producer.get(name)
  if (!node) return undefined
  if (node.opType === 'Identity' && node.input?.[0]) return computingOp(index, node.input[0])
  return node.opType
}

/**
 * A copy of the graph without the nodes whose outputs nothing reads (not the graph outputs, not another
 * node, not a subgraph) and without the initializers nothing reads. Initializers that IR 3 models also
 * list as graph inputs leave that list with them.
 */
export function withoutUnusedValues(graph: GraphProto): GraphProto {
  const outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''))
  let nodes = [...(graph.node ?? [])]
  for (;;) {
    const read = new Set<string>(outputs)
    for (const node of nodes) {
      for (const name of node.input ?? []) read.add(name)
      for (const sub of subgraphsOf(node)) namesReadWithin(sub, read)
    }
    const kept = nodes.filter((node) => (node.output ?? []).some((name) => name && read.has(name)))
    if (kept.length === nodes.length) {
      const initializer = (graph.initializer ?? []).filter((t) => read.has(t.name ?? ''))
      const dropped = new Set((graph.initializer ?? []).filter((t) => !read.has(t.name ?? '')).map((t) => t.name))
      const input = (graph.input ?? []).filter((i) => !dropped.has(i.name))
      return { ...graph, node: nodes, initializer, input }
    }
    nodes = kept
  }
}
