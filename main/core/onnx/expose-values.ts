// Reading values computed inside If/Loop/Scan bodies from outside: calibration and error reports run the
// model with the values they need as extra graph outputs, and a value in a subgraph reaches the top only
// through the node that owns the subgraph. Each such value becomes a new output of its body (for If, of
// both branches: the branch not taken yields an empty tensor of the same type; for Loop and Scan, a scan
// output, i.e. the value of every iteration stacked), then of the owning node, up to the graph outputs.
import { makeNode } from './graph-edit'
import { subgraphsOf } from './graph-walk'
import { DataType, type AttributeProto, type GraphProto, type ModelProto, type NodeProto } from './onnx-types'
import { makeTensor } from './tensor-data'

/** Element types of a graph's values, as far as they follow from stored tensors, declarations and ops. */
export function elementTypes(graph: GraphProto, outer: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const types = new Map(outer)
  for (const v of [...(graph.input ?? []), ...(graph.valueInfo ?? []), ...(graph.output ?? [])])
    if (v.name && v.type?.tensorType?.elemType) types.set(v.name, v.type.tensorType.elemType)
  for (const t of graph.initializer ?? []) if (t.name && t.dataType) types.set(t.name, t.dataType)
  for (const node of graph.node ?? []) {
    const type = outputType(node, types)
    for (const out of node.output ?? []) if (out && type !== undefined && !types.has(out)) types.set(out, type)
  }
  return types
}

const int64Ops = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin', 'NonMaxSuppression'])
/** Ops defined for float types only: float32 where the input's type is not known (float16 models are refused before). */
const floatOnlyOps = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm', 'Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Softmax', 'LSTM', 'GRU', 'RNN', 'BatchNormalization', 'AveragePool', 'GlobalAveragePool', 'MaxPool', 'Sqrt', 'Exp', 'Log', 'Pow', 'Erf'])
const boolOps = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf'])

function outputType(node: NodeProto, types: ReadonlyMap<string, number>): number | undefined {
  const op = node.opType ?? ''
  if (node.domain && node.domain !== 'ai.onnx') return undefined
  if (int64Ops.has(op)) return DataType.INT64
  if (boolOps.has(op)) return DataType.BOOL
  const attr = (name: string): AttributeProto | undefined => node.attribute?.find((a) => a.name === name)
  if (op === 'Cast') return attr('to')?.i === undefined ? undefined : Number(attr('to')?.i)
  if (op === 'Constant') return attr('value')?.t?.dataType ?? (attr('value_float') || attr('value_floats') ? DataType.FLOAT : DataType.INT64)
  if (op === 'ConstantOfShape') return attr('value')?.t?.dataType ?? DataType.FLOAT
  if (op === 'If' || op === 'Loop' || op === 'Scan') return undefined
  if (op === 'Where') return types.get(node.input?.[1] ?? '')
  const first = types.get(node.input?.[0] ?? '')
  return first ?? (floatOnlyOps.has(op) ? DataType.FLOAT : undefined)
}

export interface Exposed {
  readonly model: ModelProto
  /** Requested name → the graph output that carries it (the name itself for top-level values). */
  readonly outputs: ReadonlyMap<string, string>
}

/** A value found for exposure: its name where computed, its name in the graph at hand, its type. */
interface Found {
  readonly name: string
  readonly local: string
  readonly type: number
}

type BodyVisit = (g: GraphProto) => { graph: GraphProto; found: Found[] }

/**
 * The model with each value of `names` readable as a graph output. Values inside subgraphs that are not
 * float32 (shape arithmetic) are left out: the empty stand-in of an untaken If branch needs the type.
 */
export function exposeValues(model: ModelProto, names: readonly string[], fresh: (base: string) => string): Exposed {
  const wanted = new Set(names)
  const outputs = new Map<string, string>()
  const visit = (graph: GraphProto, outer: ReadonlyMap<string, number>, top: boolean): { graph: GraphProto; found: Found[] } => {
    const types = elementTypes(graph, outer)
    const found: Found[] = []
    const node = (graph.node ?? []).map((n) =>
      subgraphsOf(n).length ? exposeThrough(n, (sub) => visit(sub, types, false), fresh, (f, local) => found.push({ ...f, local })) : n,
    )
    for (const n of graph.node ?? [])
      for (const o of n.output ?? [])
        if (o && wanted.has(o) && (top || types.get(o) === DataType.FLOAT)) found.push({ name: o, local: o, type: types.get(o) ?? DataType.FLOAT })
    if (!top) return { graph: { ...graph, node }, found }
    for (const f of found) outputs.set(f.name, f.local)
    const existing = new Set((graph.output ?? []).map((o) => o.name))
    const added = [...new Set(outputs.values())].filter((o) => !existing.has(o)).map((name) => ({ name }))
    return { graph: { ...graph, node, output: [...(graph.output ?? []), ...added] }, found }
  }
  const graph = model.graph ? visit(model.graph, new Map(), true).graph : undefined
  return { model: graph ? { ...model, graph } : model, outputs }
}

/** A body output for `name`: the name itself, or an Identity's where it is an output already (ONNX Runtime crashes on a value listed twice). */
function aliased(name: string, graph: GraphProto, nodes: NodeProto[], fresh: (base: string) => string): string {
  if (!(graph.output ?? []).some((o) => o.name === name)) return name
  const alias = fresh(`${name}_copy`)
  nodes.push(makeNode('Identity', [name], [alias]))
  return alias
}

/** The node with the wanted values of its bodies as extra outputs; `report` learns each one's name outside. */
function exposeThrough(node: NodeProto, visitBody: BodyVisit, fresh: (base: string) => string, report: (f: Found, local: string) => void): NodeProto {
  const op = node.domain ? '' : node.opType
  if (op === 'If') {
    const thenAttr = node.attribute?.find((a) => a.name === 'then_branch')
    const elseAttr = node.attribute?.find((a) => a.name === 'else_branch')
    if (!thenAttr?.g || !elseAttr?.g) return node
    const a = visitBody(thenAttr.g)
    const b = visitBody(elseAttr.g)
    const all = [...a.found, ...b.found]
    if (all.length === 0) return node
    // Each branch yields every exposed value: its own, and an empty tensor in place of the other branch's.
    const branch = (g: GraphProto, own: readonly Found[]): GraphProto => {
      const nodes = [...(g.node ?? [])]
      const outs = all.map((f) => {
        if (own.includes(f)) return { name: aliased(f.local, g, nodes, fresh) }
        const empty = fresh(`${f.name}_not_taken`)
        nodes.push(makeNode('Constant', [], [empty], { attrs: { value: makeTensor(empty, [0], new Float32Array(0)) } }))
        return { name: empty }
      })
      return { ...g, node: nodes, output: [...(g.output ?? []), ...outs] }
    }
    const outNames = all.map((f) => fresh(`${f.name}_exposed`))
    all.forEach((f, i) => report(f, outNames[i] as string))
    return {
      ...node,
      output: [...(node.output ?? []), ...outNames],
      attribute: (node.attribute ?? []).map((attr) =>
        attr === thenAttr ? { ...attr, g: branch(a.graph, a.found) } : attr === elseAttr ? { ...attr, g: branch(b.graph, b.found) } : attr,
      ),
    }
  }
  if (op === 'Loop' || op === 'Scan') {
    const bodyAttr = node.attribute?.find((a) => a.name === 'body')
    if (!bodyAttr?.g) return node
    const body = visitBody(bodyAttr.g)
    if (body.found.length === 0) return node
    const outNames = body.found.map((f) => fresh(`${f.name}_exposed`))
    body.found.forEach((f, i) => report(f, outNames[i] as string))
    const nodes = [...(body.graph.node ?? [])]
    const outs = body.found.map((f) => ({ name: aliased(f.local, body.graph, nodes, fresh) }))
    const graph = { ...body.graph, node: nodes, output: [...(body.graph.output ?? []), ...outs] }
    const attribute = (node.attribute ?? []).map((attr): AttributeProto => {
      if (attr === bodyAttr) return { ...attr, g: graph }
      // Scan's per-output axes and directions, where given, need an entry for each new scan output.
      if (op === 'Scan' && (attr.name === 'scan_output_axes' || attr.name === 'scan_output_directions'))
        return { ...attr, ints: [...(attr.ints ?? []), ...body.found.map(() => 0)] }
      return attr
    })
    return { ...node, output: [...(node.output ?? []), ...outNames], attribute }
  }
  // Other ops with subgraphs (contrib ops): their bodies' values stay unread.
  return node
}
