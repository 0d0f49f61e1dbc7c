// An ONNX model as the graph view draws it: every node of the main graph and of If/Loop/Scan bodies, each
// tensor's dtype and shape (declared, else inferred by the engine's shape inference, subgraphs included)
// and the statistics of every stored weight (initializers and Constant nodes; external data read tensor by
// tensor through the readers `openOnnxModel` binds).
import type { GraphAttribute, GraphBody, GraphNode, GraphTensor, ModelGraph } from '../../../preload/api-graph'
import { toNumber } from '../onnx/codec'
import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from '../onnx/onnx-types'
import { dimOf, inferShapes, type ValueFacts } from '../onnx/shape-inference'
import { dtypeName, tensorToArray } from '../onnx/tensor-data'
import { weightStats } from './weight-stats'

const LIST_SHOWN = 16

function shortList(items: readonly (string | number)[]): string {
  const shown = items.slice(0, LIST_SHOWN).join(', ')
  return `[${shown}${items.length > LIST_SHOWN ? `, … ${items.length} in all` : ''}]`
}

const text = (bytes: Uint8Array | string | undefined): string => (typeof bytes === 'string' ? bytes : bytes ? new TextDecoder().decode(bytes) : '')
const tensorText = (t: TensorProto | undefined): string => (t ? `${dtypeName(t.dataType)} [${(t.dims ?? []).map(toNumber).join(', ')}]` : '')

/** By AttributeProto.type: decoded messages carry defaults for the fields of every other type. */
function attributeValue(a: AttributeProto): string {
  switch (a.type) {
    case 1:
      return String(a.f ?? 0)
    case 2:
      return String(toNumber(a.i ?? 0))
    case 3:
      return text(a.s)
    case 4:
      return `tensor ${tensorText(a.t)}`
    case 5:
      return `graph (${a.g?.node?.length ?? 0} nodes)`
    case 6:
      return shortList(a.floats ?? [])
    case 7:
      return shortList((a.ints ?? []).map(toNumber))
    case 8:
      return shortList((a.strings ?? []).map(text))
    case 9:
      return shortList((a.tensors ?? []).map(tensorText))
    case 10:
      return `${a.graphs?.length ?? 0} graphs`
    default:
      return ''
  }
}

function tensorStats(t: TensorProto): GraphTensor['weight'] {
  try {
    return weightStats(tensorToArray(t) as ArrayLike<number>, (t.dims ?? []).map(toNumber), dtypeName(t.dataType))
  } catch {
    // Strings, and external data that cannot be read, have no statistics; the tensor still shows.
    return undefined
  }
}

class GraphReader {
  readonly tensors: Record<string, GraphTensor> = {}
  nodeCount = 0

  private declare(info: ValueInfoProto): void {
    const type = info.type?.tensorType
    if (!info.name || this.tensors[info.name]?.dtype) return
    this.tensors[info.name] = { name: info.name, dtype: type?.elemType ? dtypeName(type.elemType) : '', shape: type?.shape?.dim?.map(dimOf) ?? null }
  }

  private store(t: TensorProto, name: string): void {
    const weight = tensorStats(t)
    this.tensors[name] = { name, dtype: dtypeName(t.dataType), shape: (t.dims ?? []).map(toNumber), ...(weight ? { weight } : {}) }
  }

  /** `outer`: what is known of the enclosing graphs' values, which a subgraph reads by name. */
  body(graph: GraphProto, attribute: string, prefix: string, outer: ReadonlyMap<string, ValueFacts> = new Map()): GraphBody {
    for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) this.declare(info)
    for (const init of graph.initializer ?? []) if (init.name) this.store(init, init.name)
    // Inferred shapes fill what the model does not declare (exporters often declare only inputs and outputs).
    let inferred: ReturnType<typeof inferShapes> = new Map()
    try {
      inferred = inferShapes(graph, new Map(), outer)
    } catch {
      inferred = new Map()
    }
    const scope = new Map([...outer, ...inferred])
    const nodes = (graph.node ?? []).map((node, i) => this.node(node, `${prefix}${i}`, scope))
    for (const [name, facts] of inferred) {
      const known = this.tensors[name]
      if (!known) this.tensors[name] = { name, dtype: '', shape: facts.shape ?? null }
      else if (!known.shape && facts.shape) this.tensors[name] = { ...known, shape: facts.shape }
    }
    this.fillDtypes(graph.node ?? [])
    return {
      attribute,
      nodes,
      inputs: (graph.input ?? []).map((i) => i.name ?? '').filter((n) => n && !(graph.initializer ?? []).some((t) => t.name === n)),
      outputs: (graph.output ?? []).map((o) => o.name ?? ''),
    }
  }

  /** Dtypes shape inference does not give: Cast's target, (De)QuantizeLinear's, Shape's int64, else the first input's. */
  private fillDtypes(nodes: readonly NodeProto[]): void {
    for (const node of nodes) {
      const first = this.tensors[node.input?.[0] ?? '']?.dtype ?? ''
      const to = node.attribute?.find((a) => a.name === 'to')?.i
      const dtype =
        node.opType === 'Cast' && to !== undefined && to !== null
          ? dtypeName(toNumber(to))
          : node.opType === 'QuantizeLinear'
            ? (this.tensors[node.input?.[2] ?? '']?.dtype ?? 'uint8')
            : node.opType === 'DequantizeLinear' || node.opType === 'DynamicQuantizeLinear'
              ? (node.opType === 'DequantizeLinear' ? (this.tensors[node.input?.[1] ?? '']?.dtype ?? 'float32') : 'uint8')
              : node.opType === 'Shape' || node.opType === 'Size'
                ? 'int64'
                : first
      for (const name of node.output ?? []) {
        const known = this.tensors[name]
        if (name && dtype && !known?.dtype) this.tensors[name] = { ...(known ?? { name, shape: null }), dtype }
      }
    }
  }

  private node(node: NodeProto, id: string, scope: ReadonlyMap<string, ValueFacts>): GraphNode {
    this.nodeCount++
    const outputs = node.output ?? []
    if (node.opType === 'Constant' && !node.domain) {
      const value = node.attribute?.find((a) => a.name === 'value')?.t
      if (value && outputs[0]) this.store(value, outputs[0])
    }
    const subgraphs: GraphBody[] = []
    for (const a of node.attribute ?? []) {
      if (a.g) subgraphs.push(this.body(a.g, a.name ?? '', `${id}/${a.name ?? ''}/`, scope))
      for (const [k, g] of (a.graphs ?? []).entries()) subgraphs.push(this.body(g, `${a.name ?? ''}[${k}]`, `${id}/${a.name ?? ''}${k}/`, scope))
    }
    const attributes: GraphAttribute[] = (node.attribute ?? []).map((a) => ({ name: a.name ?? '', value: attributeValue(a) }))
    return {
      id,
      name: node.name ?? '',
      op: node.opType ?? '',
      ...(node.domain && node.domain !== 'ai.onnx' ? { domain: node.domain } : {}),
      inputs: node.input ?? [],
      outputs,
      attributes,
      ...(subgraphs.length > 0 ? { subgraphs } : {}),
    }
  }
}

export function onnxGraph(model: ModelProto): ModelGraph {
  const reader = new GraphReader()
  const main = reader.body(model.graph ?? {}, '', '')
  return { format: 'onnx', main, tensors: reader.tensors, nodeCount: reader.nodeCount }
}
