// Writing the QDQ model from a placement and calibrated ranges: QuantizeLinear/DequantizeLinear pairs on
// activations (uint8: ONNX Runtime's x86 int8 kernels take uint8 activations with int8 weights; int8
// activations would need a conversion pass that does not reach every pair; the producer's output is renamed and the pair restores the original name, so consumers,
// graph outputs and the SQNR report all see the dequantized tensor under its float name), int8 weights
// and int32 biases behind a DequantizeLinear, ReLU/Clip folded into their producer's range.
import { makeNode, nameAllocator } from '../onnx/graph-edit'
import { withoutUnusedValues } from '../onnx/graph-index'
import { mapSubgraphs } from '../onnx/graph-walk'
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../onnx/onnx-types'
import { makeTensor, tensorToArray } from '../onnx/tensor-data'
import type { TensorRange } from './calibrate'
import type { Placement, WeightUse } from './qdq-placement'
import { activationParams, quantizeBias, quantizeValue, quantizeWeight, UINT8_MAX, UINT8_MIN, type QuantParams } from './quant-params'

export interface QdqResult {
  readonly model: ModelProto
  /** Activation name → its int8 parameters (pass-through outputs included). */
  readonly params: ReadonlyMap<string, QuantParams>
  /** Activations left float because calibration saw no float32 values for them. */
  readonly uncalibrated: readonly string[]
}

function floatValues(t: TensorProto): Float32Array {
  return tensorToArray(t) as Float32Array
}

/**
 * The QDQ model: every graph that has a placement (the main graph, and If/Loop/Scan bodies) rewritten,
 * with names fresh across all of them.
 */
export function rewriteQdq(model: ModelProto, placements: ReadonlyMap<GraphProto, Placement>, ranges: ReadonlyMap<string, TensorRange>): QdqResult {
  const source = model.graph as GraphProto
  const fresh = nameAllocator(source)
  const params = new Map<string, QuantParams>()
  const uncalibrated: string[] = []
  const rewrite = (graph: GraphProto): GraphProto => {
    return rewriteGraph(graph, placements.get(graph) ?? emptyPlacement, ranges, { fresh, params, uncalibrated, rewrite })
  }
  return { model: { ...model, graph: rewrite(source) }, params, uncalibrated }
}

const emptyPlacement: Placement = { activations: [], shared: new Map(), folded: new Set(), weights: [], quantized: [], leftAsIs: [] }

interface RewriteState {
  readonly fresh: (base: string) => string
  readonly params: Map<string, QuantParams>
  readonly uncalibrated: string[]
  readonly rewrite: (graph: GraphProto) => GraphProto
}

function rewriteGraph(source: GraphProto, placement: Placement, ranges: ReadonlyMap<string, TensorRange>, state: RewriteState): GraphProto {
  const { fresh, params, uncalibrated } = state
  const nodes: NodeProto[] = []
  const initializers: TensorProto[] = [...(source.initializer ?? [])]
  const unified = concatRanges(placement, ranges)
  for (const name of placement.activations) {
    const range = unified.get(name) ?? ranges.get(name)
    if (range && Number.isFinite(range.min) && Number.isFinite(range.max)) params.set(name, activationParams(range.min, range.max, UINT8_MIN, UINT8_MAX))
    else uncalibrated.push(name)
  }
  for (const [out, from] of placement.shared) {
    const p = params.get(from)
    if (p) params.set(out, p)
  }
  const scalar = (base: string, value: number, type: number): string => {
    const name = fresh(base)
    const data = type === DataType.FLOAT ? Float32Array.of(value) : Uint8Array.of(value)
    initializers.push(makeTensor(name, [], data, type))
    return name
  }
  const qParams = new Map<string, { scale: string; zp: string }>()
  const paramNames = (name: string, p: QuantParams): { scale: string; zp: string } => {
    let names = qParams.get(name)
    if (!names) {
      names = { scale: scalar(`${name}_scale`, p.scale, DataType.FLOAT), zp: scalar(`${name}_zero_point`, p.zeroPoint, DataType.UINT8) }
      qParams.set(name, names)
    }
    return names
  }

  // Folded ReLU/Clip: the producer writes the ReLU's output directly.
  const renamedOutput = new Map<string, string>()
  for (const relu of placement.folded) renamedOutput.set(relu.input?.[0] ?? '', relu.output?.[0] ?? '')

  // Weights, biases and constants, each quantized once per (tensor, use) and read through a DQ node.
  const weightInput = new Map<NodeProto, Map<number, string>>()
  const quantizedWeights = new Map<string, { name: string; scales: Float32Array }>()
  const dqOf = (use: WeightUse): string | undefined => {
    const t = use.tensor
    const dims = (t.dims ?? []).map(Number)
    const key = `${t.name}|${use.kind}|${use.axis ?? ''}|${use.biasOf?.activation ?? ''}|${use.biasOf?.weight.name ?? ''}`
    const cached = quantizedWeights.get(key)
    if (cached) return cached.name
    const base = t.name || 'weight'
    let q: TensorProto, scale: TensorProto, zp: TensorProto, axis: number | undefined, scales: Float32Array
    if (use.kind === 'weight') {
      const w = quantizeWeight(floatValues(t), dims, use.axis)
      scales = w.scales
      axis = w.axis
      q = makeTensor(fresh(`${base}_quantized`), dims, w.values)
      const pdims = axis === undefined ? [] : [w.scales.length]
      scale = makeTensor(fresh(`${base}_scale`), pdims, w.scales)
      zp = makeTensor(fresh(`${base}_zero_point`), pdims, new Int8Array(w.scales.length))
    } else if (use.kind === 'bias') {
      const inputParams = params.get(use.biasOf?.activation ?? '')
      const weight = quantizedWeights.get(`${use.biasOf?.weight.name}|weight|${weightAxisOf(placement, use)}||`)
      if (!inputParams || !weight) return undefined
      const b = quantizeBias(floatValues(t), inputParams.scale, weight.scales)
      scales = b.scales
      const perChannel = weight.scales.length > 1
      axis = perChannel ? 0 : undefined
      q = makeTensor(fresh(`${base}_quantized`), [b.values.length], b.values)
      scale = makeTensor(fresh(`${base}_scale`), perChannel ? [b.scales.length] : [], perChannel ? b.scales : Float32Array.of(b.scales[0] as number))
      zp = makeTensor(fresh(`${base}_zero_point`), perChannel ? [b.scales.length] : [], new Int32Array(perChannel ? b.scales.length : 1))
    } else {
      const values = floatValues(t)
      let lo = 0
      let hi = 0
      for (const v of values) {
        if (v < lo) lo = v
        if (v > hi) hi = v
      }
      const p = activationParams(lo, hi, UINT8_MIN, UINT8_MAX)
      const qv = new Uint8Array(values.length)
      for (let i = 0; i < values.length; i++) qv[i] = quantizeValue(values[i] as number, p, UINT8_MIN, UINT8_MAX)
      scales = Float32Array.of(p.scale)
      q = makeTensor(fresh(`${base}_quantized`), dims, qv)
      scale = makeTensor(fresh(`${base}_scale`), [], scales)
      zp = makeTensor(fresh(`${base}_zero_point`), [], Uint8Array.of(p.zeroPoint))
    }
    initializers.push(q, scale, zp)
    const out = fresh(`${base}_dequantized`)
    nodes.push(
      makeNode('DequantizeLinear', [q.name ?? '', scale.name ?? '', zp.name ?? ''], [out], {
        name: fresh(`${base}_DequantizeLinear`),
        ...(axis === undefined ? {} : { attrs: { axis } }),
      }),
    )
    quantizedWeights.set(key, { name: out, scales })
    return out
  }
  // Weights before biases: a bias's scale needs its weight's.
  const ordered = [...placement.weights.filter((w) => w.kind !== 'bias'), ...placement.weights.filter((w) => w.kind === 'bias')]
  for (const use of ordered) {
    if (use.kind !== 'weight' && use.kind !== 'bias' && !allActivationsCalibrated(use.node, placement, params)) continue
    const name = dqOf(use)
    if (!name) continue
    let map = weightInput.get(use.node)
    if (!map) weightInput.set(use.node, (map = new Map()))
    map.set(use.input, name)
  }

  const graphInputs = new Set((source.input ?? []).map((i) => i.name ?? ''))
  const inputDq = new Map<string, string>()
  for (const name of graphInputs) {
    const p = params.get(name)
    if (!p) continue
    const names = paramNames(name, p)
    const q = fresh(`${name}_quantized`)
    const dq = fresh(`${name}_dequantized`)
    nodes.push(makeNode('QuantizeLinear', [name, names.scale, names.zp], [q], { name: fresh(`${name}_QuantizeLinear`) }))
    nodes.push(makeNode('DequantizeLinear', [q, names.scale, names.zp], [dq], { name: fresh(`${name}_DequantizeLinear`) }))
    inputDq.set(name, dq)
  }

  for (const sourceNode of source.node ?? []) {
    if (placement.folded.has(sourceNode)) continue
    const node = mapSubgraphs(sourceNode, state.rewrite)
    const replaced = weightInput.get(sourceNode)
    const input = (node.input ?? []).map((name, i) => replaced?.get(i) ?? inputDq.get(name) ?? name)
    const pairs: NodeProto[] = []
    const output = (node.output ?? []).map((original) => {
      const name = renamedOutput.get(original) ?? original
      const p = params.get(name)
      if (!p || graphInputs.has(name)) return name
      const names = paramNames(name, p)
      const raw = fresh(`${name}_float`)
      const q = fresh(`${name}_quantized`)
      pairs.push(makeNode('QuantizeLinear', [raw, names.scale, names.zp], [q], { name: fresh(`${name}_QuantizeLinear`) }))
      pairs.push(makeNode('DequantizeLinear', [q, names.scale, names.zp], [name], { name: fresh(`${name}_DequantizeLinear`) }))
      return raw
    })
    nodes.push({ ...node, input, output }, ...pairs)
  }
  return withoutUnusedValues({ ...source, node: nodes, initializer: initializers })
}

function weightAxisOf(placement: Placement, bias: WeightUse): string {
  const w = placement.weights.find((u) => u.node === bias.node && u.kind === 'weight')
  return w?.axis === undefined ? '' : String(w.axis)
}

/** Constants of Add/Mul/Concat are quantized only when the op's activations are (else it stays float). */
function allActivationsCalibrated(node: NodeProto, placement: Placement, params: ReadonlyMap<string, QuantParams>): boolean {
  return (node.output ?? []).every((o) => !o || params.has(o) || [...placement.folded].some((f) => f.input?.[0] === o))
}

/**
 * Concat's inputs and output get one common range: QLinearConcat then copies bytes instead of
 * requantizing each input, which is most of its time.
 */
function concatRanges(placement: Placement, ranges: ReadonlyMap<string, TensorRange>): Map<string, TensorRange> {
  const out = new Map<string, TensorRange>()
  for (const node of placement.quantized) {
    if (node.opType !== 'Concat') continue
    const names = [...(node.input ?? []), ...(node.output ?? [])].filter((n) => ranges.has(n))
    if (names.length === 0) continue
    const union = names.reduce(
      (acc, n) => {
        const r = out.get(n) ?? (ranges.get(n) as TensorRange)
        return { min: Math.min(acc.min, r.min), max: Math.max(acc.max, r.max) }
      },
      { min: 0, max: 0 },
    )
    for (const n of names) out.set(n, union)
  }
  return out
}
