// Where the Q/DQ pairs go so that ONNX Runtime fuses them into int8 kernels. The rule that makes int8
// pay: every float activation that a quantized op reads or writes gets one Q/DQ pair, so int8 flows from
// kernel to kernel (QLinearConv → MaxPool → QLinearConv...) instead of being converted back and forth.
// Quantizing only the inputs of Conv leaves each Conv's output float: ORT then cannot fuse it and the
// model gets slower than float32. ReLU (and Clip from 0) after a quantized op is folded into that op's
// output range: the int8 zero point sits at -128, so the Q clamps exactly as ReLU would. Ops that only
// move values (MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze) reuse their input's scale so
// ORT drops their Q/DQ and runs them on int8 directly.
import type { GraphIndex } from '../onnx/graph-index'
import { storedTensor } from '../onnx/graph-index'
import { floatAttr, intAttr } from '../onnx/graph-edit'
import { DataType, type GraphProto, type NodeProto, type TensorProto } from '../onnx/onnx-types'
import { nodeName } from '../onnx/node-label'

/** Ops with weights: which input is the weight, which the bias, and the output-channel axis of the weight. */
const weighted: Readonly<Record<string, { weight: number; bias?: number }>> = {
  Conv: { weight: 1, bias: 2 },
  Gemm: { weight: 1, bias: 2 },
  MatMul: { weight: 1 },
}
/** Ops whose inputs and output are all quantized, with their own output range (ORT has QLinear kernels). */
const ownRange = new Set(['Add', 'Mul', 'Concat', 'AveragePool', 'GlobalAveragePool', 'Sigmoid', 'LeakyRelu', 'Relu', 'Clip'])
/** Ops that move values without computing new ones: output shares the input's parameters. */
const passThrough = new Set(['MaxPool', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze'])
/** Ops that can take a ReLU/Clip into their output range. */
const foldInto = new Set(['Conv', 'Gemm', 'MatMul', 'Add', 'Mul'])

export interface WeightUse {
  readonly node: NodeProto
  readonly input: number
  readonly tensor: TensorProto
  /** 'weight': symmetric int8 (per channel along axis when set); 'bias': int32; 'constant': like an activation. */
  readonly kind: 'weight' | 'bias' | 'constant'
  readonly axis?: number
  /** For a bias: the activation and weight its scale derives from. */
  readonly biasOf?: { readonly activation: string; readonly weight: TensorProto }
}

export interface LeftFloat {
  readonly node: string
  readonly op: string
  readonly reason: string
}

export interface Placement {
  /** Activations to calibrate and quantize, as named in the float graph (folded ReLU outputs included). */
  readonly activations: readonly string[]
  /** Pass-through outputs → the activation whose parameters they reuse. */
  readonly shared: ReadonlyMap<string, string>
  /** ReLU/Clip nodes folded away: their output becomes the producer's output. */
  readonly folded: ReadonlySet<NodeProto>
  readonly weights: readonly WeightUse[]
  readonly quantized: readonly NodeProto[]
  readonly leftFloat: readonly LeftFloat[]
}

export interface PlacementOptions {
  readonly opTypes?: ReadonlySet<string>
  readonly excludeNodes?: ReadonlySet<string>
  readonly perChannel: boolean
}

function isFloat(tensor: TensorProto | undefined): boolean {
  return tensor?.dataType === DataType.FLOAT
}

/** Clip whose lower bound is 0 (ReLU6 and friends), in either the attribute or the input form. */
function clipsFromZero(node: NodeProto, index: GraphIndex): boolean {
  const minName = node.input?.[1]
  if (!minName) return floatAttr(node, 'min', Number.NEGATIVE_INFINITY) === 0
  const min = storedTensor(index, minName)
  if (!min?.rawData && !min?.floatData) return false
  const value = min.floatData?.[0] ?? new DataView(min.rawData!.buffer, min.rawData!.byteOffset, 4).getFloat32(0, true)
  return value === 0
}

function weightAxis(node: NodeProto, dims: readonly number[]): number | undefined {
  if (node.opType === 'Conv') return 0
  if (node.opType === 'Gemm') return intAttr(node, 'transB', 0) ? 0 : 1
  return dims.length === 2 ? 1 : undefined
}

function dimsOf(t: TensorProto): number[] {
  return (t.dims ?? []).map(Number)
}

/** Why a weighted node cannot be quantized, or undefined when it can. */
function weightedProblem(node: NodeProto, index: GraphIndex): string | undefined {
  const spec = weighted[node.opType ?? ''] as { weight: number; bias?: number }
  const w = storedTensor(index, node.input?.[spec.weight] ?? '')
  if (node.opType === 'MatMul') return w && !isFloat(w) ? 'weight is not float32' : undefined
  if (!w) return 'its weights are computed, not stored'
  if (!isFloat(w)) return 'weight is not float32'
  if (node.opType === 'Gemm') {
    if (floatAttr(node, 'alpha', 1) !== 1 || floatAttr(node, 'beta', 1) !== 1 || intAttr(node, 'transA', 0) !== 0)
      return 'Gemm with alpha, beta or transA set has no int8 kernel'
    if (dimsOf(w).length !== 2) return 'weight is not 2-D'
  }
  const biasName = spec.bias === undefined ? undefined : node.input?.[spec.bias]
  if (biasName) {
    const b = storedTensor(index, biasName)
    // Gemm's C may be [1, N]: the same as [N] once broadcast, and int8 kernels take it as [N].
    const dims = b ? dimsOf(b) : []
    if (!b || !isFloat(b) || dims.length === 0 || dims.slice(0, -1).some((d) => d !== 1))
      return 'its bias is not a stored 1-D float32 tensor'
  }
  return undefined
}

export function placeQdq(graph: GraphProto, index: GraphIndex, options: PlacementOptions): Placement {
  const activations = new Set<string>()
  const shared = new Map<string, string>()
  const folded = new Set<NodeProto>()
  const weights: WeightUse[] = []
  const quantized: NodeProto[] = []
  const leftFloat: LeftFloat[] = []
  const quantizedSet = new Set<NodeProto>()
  const isStored = (name: string): boolean => storedTensor(index, name) !== undefined
  const allowed = (node: NodeProto): boolean =>
    !node.domain && (options.opTypes?.has(node.opType ?? '') ?? true) && !options.excludeNodes?.has(node.name ?? '')
  const addActivation = (name: string | undefined): void => {
    if (name && !isStored(name)) activations.add(name)
  }

  for (const node of graph.node ?? []) {
    const op = node.opType ?? ''
    if (node.domain || !(op in weighted || ownRange.has(op) || passThrough.has(op))) continue
    if (!allowed(node)) {
      leftFloat.push({ node: nodeName(node), op, reason: options.excludeNodes?.has(node.name ?? '') ? 'excluded by the recipe' : 'op type not selected by the recipe' })
      continue
    }
    const input0 = node.input?.[0] ?? ''
    const output0 = node.output?.[0] ?? ''
    if (op === 'Relu' || op === 'Clip') {
      const producer = index.producer.get(input0)
      const single = (index.consumers.get(input0)?.length ?? 0) === 1 && !index.graphOutputs.has(input0)
      if (producer && quantizedSet.has(producer) && foldInto.has(producer.opType ?? '') && single && (op === 'Relu' || clipsFromZero(node, index))) {
        folded.add(node)
        activations.delete(input0)
        activations.add(output0)
        continue
      }
    }
    if (passThrough.has(op)) {
      if (!activations.has(input0) && !shared.has(input0)) continue
      shared.set(output0, shared.get(input0) ?? input0)
      quantized.push(node)
      quantizedSet.add(node)
      continue
    }
    if (op in weighted) {
      const problem = weightedProblem(node, index)
      if (problem) {
        leftFloat.push({ node: nodeName(node), op, reason: problem })
        continue
      }
      const spec = weighted[op] as { weight: number; bias?: number }
      const wName = node.input?.[spec.weight] ?? ''
      const w = storedTensor(index, wName)
      addActivation(input0)
      if (w) {
        const axis = options.perChannel ? weightAxis(node, dimsOf(w)) : undefined
        weights.push({ node, input: spec.weight, tensor: w, kind: 'weight', ...(axis === undefined ? {} : { axis }) })
        const biasName = spec.bias === undefined ? undefined : node.input?.[spec.bias]
        const bias = biasName ? storedTensor(index, biasName) : undefined
        if (bias && spec.bias !== undefined) weights.push({ node, input: spec.bias, tensor: bias, kind: 'bias', biasOf: { activation: input0, weight: w } })
      } else addActivation(wName)
    } else {
      const dataInputs = op === 'Clip' ? [input0] : (node.input ?? []).filter((n) => n)
      for (const [i, name] of (node.input ?? []).entries()) {
        if (!dataInputs.includes(name)) continue
        const stored = storedTensor(index, name)
        if (stored) {
          if (!isFloat(stored)) continue
          weights.push({ node, input: i, tensor: stored, kind: 'constant' })
        } else addActivation(name)
      }
    }
    for (const out of node.output ?? []) if (out) activations.add(out)
    quantized.push(node)
    quantizedSet.add(node)
  }
  return { activations: [...activations], shared, folded, weights, quantized, leftFloat }
}
