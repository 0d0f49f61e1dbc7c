// Rewriting an existing graph in place: nodes with attributes from plain values, attribute readers, and
// fresh names that collide with nothing already in the graph (nested graphs included). Used by the
// recipes that rewrite graphs (quantization, float16); graph-builder.ts builds new graphs from scratch.
import { toNumber } from './codec'
import { makeAttribute, type AttributeValue } from './graph-builder'
import type { AttributeProto, GraphProto, NodeProto, OperatorSetIdProto } from './onnx-types'

export function makeNode(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  options: { name?: string; domain?: string; attrs?: Readonly<Record<string, AttributeValue>> } = {},
): NodeProto {
  const node: NodeProto = { opType, input: [...inputs], output: [...outputs] }
  if (options.name) node.name = options.name
  if (options.domain) node.domain = options.domain
  const attrs = Object.entries(options.attrs ?? {})
  if (attrs.length) node.attribute = attrs.map(([k, v]) => makeAttribute(k, v))
  return node
}

export function findAttr(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name)
}

export function intAttr(node: NodeProto, name: string, fallback: number): number {
  const a = findAttr(node, name)
  return a?.i === undefined || a.i === null ? fallback : toNumber(a.i)
}

/** An ints attribute's values; undefined when it is absent or empty. */
export function intsAttr(node: NodeProto, name: string): number[] | undefined {
  const a = findAttr(node, name)
  return a?.ints?.length ? a.ints.map((v) => toNumber(v)) : undefined
}

export function floatAttr(node: NodeProto, name: string, fallback: number): number {
  const a = findAttr(node, name)
  return a?.f === undefined || a.f === null ? fallback : a.f
}

/** Every tensor and node name used in a graph (nested graphs included). */
function namesIn(graph: GraphProto, into: Set<string>): void {
  for (const t of graph.initializer ?? []) if (t.name) into.add(t.name)
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) if (v.name) into.add(v.name)
  for (const node of graph.node ?? []) {
    if (node.name) into.add(node.name)
    for (const n of [...(node.input ?? []), ...(node.output ?? [])]) if (n) into.add(n)
    for (const a of node.attribute ?? []) {
      if (a.g) namesIn(a.g, into)
      for (const g of a.graphs ?? []) namesIn(g, into)
    }
  }
}

/** Hands out names not used anywhere in the graph: `base`, then `base_1`, `base_2`... */
export function nameAllocator(graph: GraphProto): (base: string) => string {
  const used = new Set<string>()
  namesIn(graph, used)
  return (base) => {
    let name = base
    for (let i = 1; used.has(name); i++) name = `${base}_${i}`
    used.add(name)
    return name
  }
}

/** The opset version a model imports for a domain ('' is ai.onnx), 0 when it imports none. */
export function opsetVersion(opsets: readonly OperatorSetIdProto[] | undefined, domain = ''): number {
  const entry = (opsets ?? []).find((o) => (o.domain ?? '') === domain || (domain === '' && o.domain === 'ai.onnx'))
  return entry ? toNumber(entry.version) : 0
}
