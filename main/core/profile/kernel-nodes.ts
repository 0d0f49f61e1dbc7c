// Which node of the model file each kernel in a profile ran for. ONNX Runtime profiles the graph after its
// own optimizations, which rename what they rewrite: a fusion is named 'fused <node>' or
// '<node>/<Name>Fusion', a layout change appends '_token_<n>' to the node's name, an NCHWc kernel is named
// after the tensor its fused chain ends in plus '_nchwc'. Nodes without a kernel of their own were either
// fused into a neighbour that was rewritten (an activation after a FusedConv, the Q/DQ pairs around a
// QLinearConv) or never ran (constant-folded). Pure: tested on the traces of real sessions.
import { graphsWithin, subgraphsOf } from '../onnx/graph-walk'
import type { ModelProto, NodeProto } from '../onnx/onnx-types'

/** What a profile calls a node: its name, or for an unnamed node its op and first output (as recipe summaries name it). */
export function nodeKey(node: NodeProto): string {
  return node.name || `${node.opType}(${node.output?.[0] ?? ''})`
}

/** Every node of the model's graphs (subgraphs included) by the name ONNX Runtime gives it: its own, else '<op>_<index in its graph>'. */
function runtimeNames(model: ModelProto): Map<string, NodeProto> {
  const byName = new Map<string, NodeProto>()
  for (const graph of model.graph ? graphsWithin(model.graph) : [])
    (graph.node ?? []).forEach((node, index) => byName.set(node.name || `${node.opType}_${index}`, node))
  return byName
}

export interface KernelNode {
  /** The model's node this kernel ran for; undefined for kernels ONNX Runtime added (layout reorders, casts). */
  readonly node?: NodeProto
  /** ONNX Runtime renamed or replaced the node (fused it, changed its layout or kernel). */
  readonly rewritten: boolean
}

export interface KernelMapping {
  readonly kernels: ReadonlyMap<string, KernelNode>
  /** Node key → the keys of nodes fused into it (their work runs in its kernel). */
  readonly fused: ReadonlyMap<string, readonly string[]>
  /** Nodes that got no kernel and were not fused into one: folded or removed by the optimizer. */
  readonly notRun: readonly string[]
  /** Nodes that hold subgraphs (If/Loop/Scan): their kernel time includes their bodies'. */
  readonly containers: ReadonlySet<string>
}

const MAX_CHAIN = 8

/** The longest node name that ONNX Runtime's name for a kernel starts with, followed by what its optimizers add ('_token_3', '/MatMulAddFusion'). */
function nodeNamed(kernel: string, byName: ReadonlyMap<string, NodeProto>): NodeProto | undefined {
  const name = kernel.replace(/^fused /, '')
  for (let end = name.length; end > 0; end--) {
    if (end < name.length && name[end] !== '_' && name[end] !== '/') continue
    const node = byName.get(name.slice(0, end))
    if (node) return node
  }
  return undefined
}

export function mapKernels(model: ModelProto, kernels: readonly { readonly name: string; readonly op: string }[]): KernelMapping {
  const byName = runtimeNames(model)
  const nodes = [...byName.values()]
  const producer = new Map<string, NodeProto>()
  const consumers = new Map<string, NodeProto[]>()
  for (const node of nodes) {
    for (const out of node.output ?? []) if (out) producer.set(out, node)
    for (const input of node.input ?? []) {
      const list = consumers.get(input)
      if (list) list.push(node)
      else if (input) consumers.set(input, [node])
    }
  }

  const fused = new Map<string, string[]>()
  const hostOf = new Map<NodeProto, NodeProto>()
  const fuse = (into: NodeProto, node: NodeProto): void => {
    hostOf.set(node, into)
    const list = fused.get(nodeKey(into))
    if (list) list.push(nodeKey(node))
    else fused.set(nodeKey(into), [nodeKey(node)])
  }

  /** An NCHWc kernel named after the last tensor of its chain: walk up from that tensor's producer to the node of the kernel's op. */
  function nchwcNode(tensor: string, op: string): NodeProto | undefined {
    const chain: NodeProto[] = []
    let current = producer.get(tensor)
    while (current && chain.length < MAX_CHAIN) {
      if (current.opType === op) {
        for (const node of chain) fuse(current, node)
        return current
      }
      chain.push(current)
      current = producer.get(current.input?.[0] ?? '')
    }
    return undefined
  }

  const mapped = new Map<string, KernelNode>()
  for (const kernel of kernels) {
    if (mapped.has(kernel.name)) continue
    const exact = byName.get(kernel.name)
    if (exact) {
      mapped.set(kernel.name, { node: exact, rewritten: exact.opType !== kernel.op })
      continue
    }
    const node = kernel.name.endsWith('_nchwc') ? nchwcNode(kernel.name.slice(0, -'_nchwc'.length), kernel.op) : nodeNamed(kernel.name, byName)
    mapped.set(kernel.name, node ? { node, rewritten: true } : { rewritten: true })
  }

  const ran = new Set([...mapped.values()].flatMap((k) => (k.node ? [k.node] : [])))
  const rewritten = new Set([...mapped.values()].flatMap((k) => (k.node && k.rewritten ? [k.node] : [])))
  // A node without a kernel went into a rewritten neighbour, or into a node that did; repeat until nothing moves.
  const host = (node: NodeProto | undefined): NodeProto | undefined =>
    node && (rewritten.has(node) ? node : hostOf.get(node))
  for (let changed = true; changed; ) {
    changed = false
    for (const node of nodes) {
      if (ran.has(node) || hostOf.has(node)) continue
      const upstream = (node.input ?? []).map((t) => host(producer.get(t))).find(Boolean)
      const downstream = (node.output ?? []).flatMap((t) => consumers.get(t) ?? []).map(host).find(Boolean)
      const into = upstream ?? downstream
      if (into) {
        fuse(into, node)
        changed = true
      }
    }
  }
  return {
    kernels: mapped,
    fused,
    notRun: nodes.filter((node) => !ran.has(node) && !hostOf.has(node)).map(nodeKey),
    containers: new Set(nodes.filter((node) => subgraphsOf(node).length > 0).map(nodeKey)),
  }
}
