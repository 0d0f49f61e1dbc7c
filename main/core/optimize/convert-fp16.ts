// float32 → float16: every float32 weight (initializers and Constant nodes, in subgraphs too) is stored
// as float16 and read through a Cast back to float32, so the file is half the size while ONNX Runtime's
// CPU kernels, which compute in float32, run as before. The weight keeps its name on the Cast's output
// and the float16 tensor gets a new one, so no consumer (nor a subgraph that captures it) is touched.
// Values beyond float16's range are clamped to ±65504, and nonzero values below its smallest subnormal
// kept at ±2^-24, each counted so the summary can warn. Inputs and outputs become float16 unless
// keepIoTypes is set.
import type { LeftAsIs } from '../../../preload/api'
import { float32ToFloat16Array } from '../onnx/float16'
import { makeNode, nameAllocator } from '../onnx/graph-edit'
import { subgraphsOf } from '../onnx/graph-walk'
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../onnx/onnx-types'
import { makeTensor, tensorToArray } from '../onnx/tensor-data'
import { withoutInitializerInputs } from '../onnx/opset-upgrade'
import { nodeName } from '../onnx/node-label'

export const FLOAT16_MAX = 65504
const FLOAT16_MIN_SUBNORMAL = 2 ** -24

export interface ClampCounts {
  overflow: number
  underflow: number
}

/** float16 bit patterns of `values`, clamping out-of-range values and counting them. Pure. */
export function toFloat16Clamped(values: Float32Array, counts: ClampCounts): Uint16Array {
  const clamped = new Float32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    const a = Math.abs(v)
    if (a > FLOAT16_MAX && Number.isFinite(v)) {
      counts.overflow++
      clamped[i] = Math.sign(v) * FLOAT16_MAX
    } else if (a > 0 && a < FLOAT16_MIN_SUBNORMAL) {
      counts.underflow++
      clamped[i] = Math.sign(v) * FLOAT16_MIN_SUBNORMAL
    } else clamped[i] = v
  }
  return float32ToFloat16Array(clamped)
}

export interface Fp16Options {
  readonly keepIoTypes: boolean
  readonly opTypes?: ReadonlySet<string>
  readonly excludeNodes?: ReadonlySet<string>
}

export interface Fp16Result {
  readonly model: ModelProto
  /** Nodes whose float weights are now stored as float16. */
  readonly converted: readonly NodeProto[]
  readonly leftAsIs: readonly LeftAsIs[]
  readonly clamped: ClampCounts
  readonly convertedTensors: number
  /** Inputs that became float16 (feed them float16). */
  readonly float16Inputs: readonly string[]
}

function renameUses(graph: GraphProto, from: string, to: string): void {
  for (const node of graph.node ?? []) {
    node.input = (node.input ?? []).map((n) => (n === from ? to : n))
    for (const sub of subgraphsOf(node)) renameUses(sub, from, to)
  }
}

function isFloat32Tensor(t: TensorProto | undefined): t is TensorProto {
  return t?.dataType === DataType.FLOAT
}

export function convertToFp16(model: ModelProto, options: Fp16Options): Fp16Result {
  const prepared = withoutInitializerInputs(model)
  const source = prepared.graph ?? {}
  // The rewrite mutates node copies only: nodes are cloned shallowly, graphs rebuilt.
  const clone = (graph: GraphProto): GraphProto => ({
    ...graph,
    node: (graph.node ?? []).map((n) => ({ ...n, attribute: n.attribute?.map((a) => ({ ...a, ...(a.g ? { g: clone(a.g) } : {}), ...(a.graphs ? { graphs: a.graphs.map(clone) } : {}) })) })),
  })
  const top = clone(source)
  const fresh = nameAllocator(top)
  const clamped: ClampCounts = { overflow: 0, underflow: 0 }
  const converted = new Set<NodeProto>()
  const leftAsIs: LeftAsIs[] = []
  let convertedTensors = 0
  const selected = (node: NodeProto): boolean =>
    !options.excludeNodes?.has(node.name ?? '') && (options.opTypes?.has(node.opType ?? '') ?? true)

  const visit = (graph: GraphProto, outerConsumers: readonly NodeProto[]): void => {
    const consumers = new Map<string, NodeProto[]>()
    for (const node of graph.node ?? []) for (const n of node.input ?? []) consumers.set(n, [...(consumers.get(n) ?? []), node])
    const casts: NodeProto[] = []
    const initializer = (graph.initializer ?? []).map((t) => {
      const users = consumers.get(t.name ?? '') ?? outerConsumers
      if (!isFloat32Tensor(t) || !users.some(selected)) return t
      const half = fresh(`${t.name}_fp16`)
      casts.push(makeNode('Cast', [half], [t.name ?? ''], { name: fresh(`${t.name}_Cast`), attrs: { to: DataType.FLOAT } }))
      users.forEach((u) => converted.add(u))
      convertedTensors++
      return makeTensor(half, (t.dims ?? []).map(Number), toFloat16Clamped(tensorToArray(t) as Float32Array, clamped), DataType.FLOAT16)
    })
    const nodes: NodeProto[] = []
    for (const node of graph.node ?? []) {
      for (const sub of subgraphsOf(node)) visit(sub, [node])
      const value = node.opType === 'Constant' && !node.domain ? node.attribute?.find((a) => a.name === 'value') : undefined
      const users = consumers.get(node.output?.[0] ?? '') ?? []
      if (value && isFloat32Tensor(value.t) && users.some(selected)) {
        const out = node.output?.[0] ?? ''
        const half = fresh(`${out}_fp16`)
        value.t = makeTensor(value.t.name ?? '', (value.t.dims ?? []).map(Number), toFloat16Clamped(tensorToArray(value.t) as Float32Array, clamped), DataType.FLOAT16)
        nodes.push({ ...node, output: [half] }, makeNode('Cast', [half], [out], { name: fresh(`${out}_Cast`), attrs: { to: DataType.FLOAT } }))
        users.forEach((u) => converted.add(u))
        convertedTensors++
        continue
      }
      nodes.push(node)
    }
    graph.initializer = initializer
    graph.node = [...casts, ...nodes]
  }
  visit(top, [])
  for (const node of source.node ?? [])
    if (!selected(node)) leftAsIs.push({ node: nodeName(node), op: node.opType ?? '', reason: options.excludeNodes?.has(node.name ?? '') ? 'excluded by the recipe' : 'op type not selected by the recipe' })

  const float16Inputs: string[] = []
  if (!options.keepIoTypes) {
    const stored = new Set((top.initializer ?? []).map((t) => t.name))
    const head: NodeProto[] = []
    const tail: NodeProto[] = []
    top.input = (top.input ?? []).map((input): ValueInfoProto => {
      if (stored.has(input.name) || input.type?.tensorType?.elemType !== DataType.FLOAT) return input
      const inside = fresh(`${input.name}_float32`)
      renameUses(top, input.name ?? '', inside)
      head.push(makeNode('Cast', [input.name ?? ''], [inside], { name: fresh(`${input.name}_Cast`), attrs: { to: DataType.FLOAT } }))
      float16Inputs.push(input.name ?? '')
      return withElemType(input, DataType.FLOAT16)
    })
    top.output = (top.output ?? []).map((output): ValueInfoProto => {
      if (output.type?.tensorType?.elemType !== DataType.FLOAT) return output
      const inside = fresh(`${output.name}_float32`)
      for (const node of top.node ?? []) node.output = (node.output ?? []).map((n) => (n === output.name ? inside : n))
      renameUses(top, output.name ?? '', inside)
      tail.push(makeNode('Cast', [inside], [output.name ?? ''], { name: fresh(`${output.name}_Cast`), attrs: { to: DataType.FLOAT16 } }))
      return withElemType(output, DataType.FLOAT16)
    })
    top.node = [...head, ...(top.node ?? []), ...tail]
  }
  return { model: { ...prepared, graph: top }, converted: [...converted], leftAsIs, clamped, convertedTensors, float16Inputs }
}

function withElemType(value: ValueInfoProto, elemType: number): ValueInfoProto {
  return { ...value, type: { ...value.type, tensorType: { ...value.type?.tensorType, elemType } } }
}
