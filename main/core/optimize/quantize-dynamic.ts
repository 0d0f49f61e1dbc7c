// Dynamic int8 quantization: int8 weights for MatMul and Gemm, activations quantized at run time. The
// pattern is the one ONNX Runtime's own tool writes and its optimizer fuses into DynamicQuantizeMatMul /
// MatMulIntegerToFloat (uint8 activations × int8 weights):
//   DynamicQuantizeLinear(A) → MatMulInteger(A_q, W_q, A_zp, W_zp) → Cast(float) → Mul(A_scale × W_scale)
// Conv stays float: ONNX Runtime's CPU has no int8-weight ConvInteger (models that use one fail to load).
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../onnx/onnx-types'
import { indexGraph, storedTensor, withoutUnusedValues } from '../onnx/graph-index'
import { makeNode, nameAllocator, opsetVersion } from '../onnx/graph-edit'
import { mapSubgraphs } from '../onnx/graph-walk'
import { makeTensor } from '../onnx/tensor-data'
import type { LeftAsIs } from '../../../preload/api'
import { isSelected, leftOut, type NodeFilter, type RewriteResult } from './node-rewrite'
import { recipeOpset, upgradeOpset } from '../onnx/opset-upgrade'
import { matmulWeight } from './matmul-weight'
import { lstmProblem, msDomain, quantizeLstm } from './quantize-lstm'
import { nodeName } from '../onnx/node-label'
import { quantizeWeight } from './quant-params'

export const dynamicQuantizableOps: readonly string[] = ['MatMul', 'Gemm', 'LSTM']

export interface DynamicOptions extends NodeFilter {
  readonly perChannel: boolean
}

export function quantizeDynamic(model: ModelProto, file: string, options: DynamicOptions): RewriteResult {
  const prepared = opsetVersion(model.opsetImport) < 11 ? upgradeOpset(model, recipeOpset, file) : model
  const converted: NodeProto[] = []
  const leftAsIs: LeftAsIs[] = []
  const fresh = nameAllocator(prepared.graph ?? {})
  const graph = quantizeGraph(prepared.graph ?? {}, { options, fresh, converted, leftAsIs })
  const usesMs = converted.some((n) => n.opType === 'LSTM')
  const opsetImport = usesMs && opsetVersion(prepared.opsetImport, msDomain) === 0 ? [...(prepared.opsetImport ?? []), { domain: msDomain, version: 1 }] : prepared.opsetImport
  return { model: { ...prepared, graph, ...(opsetImport ? { opsetImport } : {}) }, converted, leftAsIs }
}

interface GraphState {
  readonly options: DynamicOptions
  readonly fresh: (base: string) => string
  readonly converted: NodeProto[]
  readonly leftAsIs: LeftAsIs[]
}

/** One graph quantized, the If/Loop/Scan bodies in it included (as ONNX Runtime's quantizer does). */
function quantizeGraph(graph: GraphProto, state: GraphState): GraphProto {
  const { options, fresh, converted, leftAsIs } = state
  const index = indexGraph(graph)
  const initializers: TensorProto[] = [...(graph.initializer ?? [])]
  const nodes: NodeProto[] = []
  const dynamicInputs = new Map<string, { q: string; scale: string; zp: string }>()

  const quantizeInput = (name: string): { q: string; scale: string; zp: string } => {
    let done = dynamicInputs.get(name)
    if (!done) {
      done = { q: fresh(`${name}_quantized`), scale: fresh(`${name}_scale`), zp: fresh(`${name}_zero_point`) }
      nodes.push(makeNode('DynamicQuantizeLinear', [name], [done.q, done.scale, done.zp], { name: fresh(`${name}_DynamicQuantizeLinear`) }))
      dynamicInputs.set(name, done)
    }
    return done
  }

  for (const original of graph.node ?? []) {
    const node = mapSubgraphs(original, (g) => quantizeGraph(g, state))
    const op = node.opType ?? ''
    const label = nodeName(node)
    if (node.domain || !dynamicQuantizableOps.includes(op)) {
      if (op === 'Conv' && !node.domain) leftAsIs.push({ node: label, op, reason: 'dynamic int8 Conv has no fast CPU kernel (static mode quantizes it)' })
      nodes.push(node)
      continue
    }
    if (!isSelected(options, node)) {
      leftAsIs.push(leftOut(options, node))
      nodes.push(node)
      continue
    }
    if (op === 'LSTM') {
      const [wt, rt] = [storedTensor(index, node.input?.[1] ?? ''), storedTensor(index, node.input?.[2] ?? '')]
      const problem = lstmProblem(node, wt, rt)
      if (problem || !wt || !rt) {
        leftAsIs.push({ node: label, op, reason: problem ?? '' })
        nodes.push(node)
        continue
      }
      const q = quantizeLstm(node, wt, rt, options.perChannel, fresh)
      nodes.push(q.node)
      initializers.push(...q.initializers)
      converted.push(node)
      continue
    }
    const stored = storedTensor(index, node.input?.[1] ?? '')
    const w = stored ? matmulWeight(node, stored) : 'both inputs are computed: dynamic mode quantizes stored weights only'
    if (typeof w === 'string') {
      leftAsIs.push({ node: label, op, reason: w })
      nodes.push(node)
      continue
    }
    const base = node.input?.[1] || label
    const qw = quantizeWeight(w.data, [w.k, w.n], options.perChannel ? 1 : undefined)
    const perChannel = qw.scales.length > 1
    const wq = makeTensor(fresh(`${base}_quantized`), [w.k, w.n], qw.values)
    const wScale = makeTensor(fresh(`${base}_scale`), perChannel ? [w.n] : [], qw.scales)
    const wZp = makeTensor(fresh(`${base}_zero_point`), perChannel ? [w.n] : [], new Int8Array(qw.scales.length))
    initializers.push(wq, wScale, wZp)
    const a = quantizeInput(node.input?.[0] ?? '')
    const integer = fresh(`${label}_MatMulInteger_out`)
    const asFloat = fresh(`${label}_cast_out`)
    const scale = fresh(`${label}_scale`)
    const output = node.output?.[0] ?? ''
    const bias = op === 'Gemm' ? node.input?.[2] : undefined
    const product = bias ? fresh(`${label}_product`) : output
    nodes.push(
      makeNode('MatMulInteger', [a.q, wq.name ?? '', a.zp, wZp.name ?? ''], [integer], { name: fresh(`${label}_MatMulInteger`) }),
      makeNode('Cast', [integer], [asFloat], { name: fresh(`${label}_Cast`), attrs: { to: DataType.FLOAT } }),
      makeNode('Mul', [a.scale, wScale.name ?? ''], [scale], { name: fresh(`${label}_scale_Mul`) }),
      makeNode('Mul', [asFloat, scale], [product], { name: fresh(`${label}_Mul`) }),
    )
    if (bias) nodes.push(makeNode('Add', [product, bias], [output], { name: fresh(`${label}_bias_Add`) }))
    converted.push(node)
  }
  return withoutUnusedValues({ ...graph, node: nodes, initializer: initializers })
}
