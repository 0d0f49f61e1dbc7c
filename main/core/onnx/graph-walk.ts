// Walking a model's graphs, nodes and tensors, subgraphs (If/Loop/Scan bodies) and local functions
// included. mapModelTensors rebuilds only the objects on the path to a changed tensor, so a rewrite of a
// big model shares everything else (weights included) with the original.
import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from './onnx-types'

/** Where a tensor sits: a graph initializer, a Constant node's value, another attribute, a sparse tensor's values or indices. */
export type TensorSite = 'initializer' | 'constant' | 'attribute' | 'sparse'

export function subgraphsOf(node: NodeProto): GraphProto[] {
  const graphs: GraphProto[] = []
  for (const attr of node.attribute ?? []) {
    if (attr.g) graphs.push(attr.g)
    for (const g of attr.graphs ?? []) graphs.push(g)
  }
  return graphs
}

/** The node with each of its subgraphs (If branches, Loop/Scan bodies) replaced by `rewrite`'s result; the node itself when it has none. */
export function mapSubgraphs(node: NodeProto, rewrite: (graph: GraphProto) => GraphProto): NodeProto {
  if (!(node.attribute ?? []).some((a) => a.g || a.graphs?.length)) return node
  return {
    ...node,
    attribute: (node.attribute ?? []).map((a): AttributeProto => ({ ...a, ...(a.g ? { g: rewrite(a.g) } : {}), ...(a.graphs?.length ? { graphs: a.graphs.map(rewrite) } : {}) })),
  }
}

/** The graph and every graph nested in it, outermost first. */
export function graphsWithin(graph: GraphProto): GraphProto[] {
  const out: GraphProto[] = [graph]
  for (const node of graph.node ?? []) for (const sub of subgraphsOf(node)) out.push(...graphsWithin(sub))
  return out
}

/** Every node of the model: all graphs, then the bodies of local functions. */
export function allNodes(model: ModelProto): NodeProto[] {
  const nodes: NodeProto[] = []
  if (model.graph) for (const graph of graphsWithin(model.graph)) nodes.push(...(graph.node ?? []))
  for (const fn of model.functions ?? [])
    for (const node of fn.node ?? []) {
      nodes.push(node)
      for (const sub of subgraphsOf(node)) for (const graph of graphsWithin(sub)) nodes.push(...(graph.node ?? []))
    }
  return nodes
}

function attributeSite(node: NodeProto): TensorSite {
  return node.opType === 'Constant' && !node.domain ? 'constant' : 'attribute'
}

/** Calls `visit` for every tensor stored in the model (not graph inputs, which hold no data). */
export function forEachTensor(model: ModelProto, visit: (tensor: TensorProto, site: TensorSite) => void): void {
  const visitNodes = (nodes: readonly NodeProto[] | undefined): void => {
    for (const node of nodes ?? []) {
      const site = attributeSite(node)
      for (const attr of node.attribute ?? []) {
        if (attr.t) visit(attr.t, site)
        for (const t of attr.tensors ?? []) visit(t, site)
        if (attr.sparseTensor?.values) visit(attr.sparseTensor.values, 'sparse')
        if (attr.sparseTensor?.indices) visit(attr.sparseTensor.indices, 'sparse')
        if (attr.g) visitGraph(attr.g)
        for (const g of attr.graphs ?? []) visitGraph(g)
      }
    }
  }
  const visitGraph = (graph: GraphProto): void => {
    for (const t of graph.initializer ?? []) visit(t, 'initializer')
    for (const sparse of graph.sparseInitializer ?? []) {
      if (sparse.values) visit(sparse.values, 'sparse')
      if (sparse.indices) visit(sparse.indices, 'sparse')
    }
    visitNodes(graph.node)
  }
  if (model.graph) visitGraph(model.graph)
  for (const fn of model.functions ?? []) visitNodes(fn.node)
}

type TensorMapper = (tensor: TensorProto, site: TensorSite) => TensorProto

function mapNode(node: NodeProto, fn: TensorMapper): NodeProto {
  const attrs = node.attribute ?? []
  if (!attrs.some((a) => a.t || a.g || a.tensors?.length || a.graphs?.length)) return node
  const site = attributeSite(node)
  const attribute = attrs.map((a): AttributeProto => {
    const copy: AttributeProto = { ...a }
    if (a.t) copy.t = fn(a.t, site)
    if (a.tensors?.length) copy.tensors = a.tensors.map((t) => fn(t, site))
    if (a.g) copy.g = mapGraph(a.g, fn)
    if (a.graphs?.length) copy.graphs = a.graphs.map((g) => mapGraph(g, fn))
    return copy
  })
  return { ...node, attribute }
}

function mapGraph(graph: GraphProto, fn: TensorMapper): GraphProto {
  const copy: GraphProto = { ...graph }
  if (graph.initializer) copy.initializer = graph.initializer.map((t) => fn(t, 'initializer'))
  if (graph.node) copy.node = graph.node.map((n) => mapNode(n, fn))
  return copy
}

/** A new model whose initializers and attribute tensors (subgraphs, functions) are `fn`'s results; sparse tensors are kept as they are. */
export function mapModelTensors(model: ModelProto, fn: TensorMapper): ModelProto {
  const copy: ModelProto = { ...model }
  if (model.graph) copy.graph = mapGraph(model.graph, fn)
  if (model.functions) copy.functions = model.functions.map((f) => (f.node ? { ...f, node: f.node.map((n) => mapNode(n, fn)) } : f))
  return copy
}
