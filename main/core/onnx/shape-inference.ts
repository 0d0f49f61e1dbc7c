// A small static shape inference over one graph, enough to size the compute-heavy nodes (Conv, Gemm,
// MatMul ...) of common exported models. It also folds the values of small integer tensors, because
// exporters compute Reshape targets at run time (Shape -> Gather -> Concat -> Reshape). Anything it does
// not know stays unknown; it never guesses.
import { toNumber } from './codec'
import type { GraphProto, NodeProto, TensorProto, TensorShapeDimension } from './onnx-types'
import { DataType } from './onnx-types'
import { elementCount, hasExternalData, tensorToArray } from './tensor-data'
import { findAttr, intAttr, intsAttr } from './graph-edit'

/** A dimension: a number when known, a symbolic name when only named. */
export type Dim = number | string

export interface ValueFacts {
  readonly shape?: readonly Dim[]
  /** Contents of a small integer tensor, flattened (shape values travel as dims). */
  readonly value?: readonly Dim[]
}

export type ShapeMap = Map<string, ValueFacts>

/** A declared dimension: its value, its symbolic name, or '?' when anonymous (dim_value/dim_param is a oneof). */
export function dimOf(dim: TensorShapeDimension): Dim {
  if (dim.dimParam) return dim.dimParam
  return Object.hasOwn(dim, 'dimValue') && dim.dimValue !== undefined && dim.dimValue !== null ? toNumber(dim.dimValue) : '?'
}

/** Integer tensors up to this many elements have their values folded. */
const maxFoldedElements = 64

function stringAttr(node: NodeProto, name: string): string {
  const s = findAttr(node, name)?.s
  return s ? new TextDecoder().decode(s) : ''
}

const isNum = (d: Dim | undefined): d is number => typeof d === 'number'
const allNum = (dims: readonly Dim[] | undefined): dims is number[] => dims !== undefined && dims.every(isNum)

function tensorFacts(tensor: TensorProto): ValueFacts {
  const shape = (tensor.dims ?? []).map((d) => toNumber(d))
  const isInt = tensor.dataType === DataType.INT64 || tensor.dataType === DataType.INT32
  if (!isInt || hasExternalData(tensor) || elementCount(tensor.dims) > maxFoldedElements) return { shape }
  try {
    return { shape, value: Array.from(tensorToArray(tensor) as ArrayLike<number | bigint>, (v) => Number(v)) }
  } catch {
    return { shape }
  }
}

/** Normalizes a possibly negative axis for a given rank. */
function axisOf(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis
}

function broadcast(shapes: readonly (readonly Dim[])[]): Dim[] | undefined {
  const rank = Math.max(...shapes.map((s) => s.length))
  const out: Dim[] = []
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1
    for (const shape of shapes) {
      const d = shape[shape.length - rank + i]
      if (d === undefined || d === 1) continue
      if (dim === 1) dim = d
      else if (d !== dim) return undefined
    }
    out.push(dim)
  }
  return out
}

/** Output size of a sliding window (Conv, pooling) along one spatial axis. */
function windowOut(node: NodeProto, input: number, kernel: number, axis: number, spatial: number): number {
  const strides = intsAttr(node, 'strides')?.[axis] ?? 1
  const dilation = intsAttr(node, 'dilations')?.[axis] ?? 1
  const pads = intsAttr(node, 'pads')
  const autoPad = stringAttr(node, 'auto_pad')
  const span = (kernel - 1) * dilation + 1
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(input / strides)
  if (autoPad === 'VALID') return Math.ceil((input - span + 1) / strides)
  const padded = input + (pads?.[axis] ?? 0) + (pads?.[axis + spatial] ?? 0) - span
  const round = intAttr(node, 'ceil_mode', 0) ? Math.ceil : Math.floor
  return round(padded / strides) + 1
}

function convShape(node: NodeProto, x: readonly Dim[], w: readonly Dim[] | undefined): Dim[] | undefined {
  if (!w || !allNum(w)) return undefined
  const spatial = x.length - 2
  const kernel = intsAttr(node, 'kernel_shape') ?? w.slice(2)
  const out: Dim[] = [x[0] as Dim, w[0] as number]
  for (let i = 0; i < spatial; i++) {
    const input = x[i + 2]
    if (!isNum(input)) return undefined
    out.push(windowOut(node, input, kernel[i] as number, i, spatial))
  }
  return out
}

function convTransposeShape(node: NodeProto, x: readonly Dim[], w: readonly Dim[] | undefined): Dim[] | undefined {
  if (!w || !allNum(w)) return undefined
  const group = intAttr(node, 'group', 1)
  const spatial = x.length - 2
  const explicit = intsAttr(node, 'output_shape')
  const out: Dim[] = [x[0] as Dim, (w[1] as number) * group]
  const kernel = intsAttr(node, 'kernel_shape') ?? w.slice(2)
  for (let i = 0; i < spatial; i++) {
    const input = x[i + 2]
    if (explicit) {
      out.push(explicit[explicit.length - spatial + i] as number)
      continue
    }
    if (!isNum(input)) return undefined
    const stride = intsAttr(node, 'strides')?.[i] ?? 1
    const dilation = intsAttr(node, 'dilations')?.[i] ?? 1
    const pads = intsAttr(node, 'pads')
    const extra = intsAttr(node, 'output_padding')?.[i] ?? 0
    const autoPad = stringAttr(node, 'auto_pad')
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') out.push(input * stride)
    else
      out.push(
        stride * (input - 1) + extra + ((kernel[i] as number) - 1) * dilation + 1 - (pads?.[i] ?? 0) - (pads?.[i + spatial] ?? 0),
      )
  }
  return out
}

function matMulShape(a: readonly Dim[], b: readonly Dim[]): Dim[] | undefined {
  if (a.length === 0 || b.length === 0) return undefined
  const a2 = a.length === 1 ? [1, a[0] as Dim] : a
  const b2 = b.length === 1 ? [b[0] as Dim, 1] : b
  const batch = broadcast([a2.slice(0, -2), b2.slice(0, -2)])
  if (!batch) return undefined
  const out = [...batch, a2[a2.length - 2] as Dim, b2[b2.length - 1] as Dim]
  if (a.length === 1) out.splice(out.length - 2, 1)
  if (b.length === 1) out.pop()
  return out
}

function reshape(input: readonly Dim[], target: readonly Dim[], allowZero: boolean): Dim[] | undefined {
  const out = target.map((d, i) => (d === 0 && !allowZero ? input[i] : d))
  const unknown = out.indexOf(-1)
  if (unknown < 0) return out as Dim[]
  if (!allNum(input) || !allNum(out.filter((_, i) => i !== unknown))) return undefined
  const known = (out as number[]).reduce((p, d, i) => (i === unknown ? p : p * d), 1)
  const total = input.reduce((p, d) => p * d, 1)
  if (known === 0) return undefined
  out[unknown] = total / known
  return out as Dim[]
}

function sliceDims(data: readonly Dim[], starts: number[], ends: number[], axes: number[], steps: number[]): Dim[] | undefined {
  const out = [...data]
  for (let k = 0; k < starts.length; k++) {
    const axis = axisOf(axes[k] ?? k, data.length)
    const size = data[axis]
    if (!isNum(size)) return undefined
    const step = steps[k] ?? 1
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi)
    let start = (starts[k] as number) < 0 ? (starts[k] as number) + size : (starts[k] as number)
    let end = (ends[k] as number) < 0 ? (ends[k] as number) + size : (ends[k] as number)
    start = step > 0 ? clamp(start, 0, size) : clamp(start, 0, size - 1)
    end = step > 0 ? clamp(end, 0, size) : clamp(end, -1, size - 1)
    out[axis] = Math.max(0, Math.ceil((end - start) / step))
  }
  return out
}

/** Values of a 1-D slice on a folded vector (shape arithmetic), or undefined. */
function sliceValues(values: readonly Dim[], start: number, end: number, step: number): Dim[] {
  const n = values.length
  const s = Math.min(Math.max(start < 0 ? start + n : start, 0), n)
  const e = Math.min(Math.max(end < 0 ? end + n : end, 0), n)
  const out: Dim[] = []
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(values[i] as Dim)
  return out
}

function arithmetic(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case 'Add':
      return a + b
    case 'Sub':
      return a - b
    case 'Mul':
      return a * b
    case 'Div':
      return b === 0 ? undefined : Math.trunc(a / b)
    default:
      return undefined
  }
}

const sameShapeOps = new Set([
  'Abs', 'Acos', 'Asin', 'Atan', 'BatchNormalization', 'Cast', 'Ceil', 'Celu', 'Clip', 'Cos', 'Cosh', 'DequantizeLinear',
  'Dropout', 'Elu', 'Erf', 'Exp', 'Floor', 'Gelu', 'HardSigmoid', 'HardSwish', 'Hardmax', 'Identity',
  'InstanceNormalization', 'IsInf', 'IsNaN', 'LayerNormalization', 'LeakyRelu', 'Log', 'LogSoftmax', 'LpNormalization',
  'LRN', 'MeanVarianceNormalization', 'Mish', 'Neg', 'Not', 'PRelu', 'QuantizeLinear', 'Reciprocal', 'Relu', 'Round',
  'Selu', 'Shrink', 'Sigmoid', 'Sign', 'Sin', 'Sinh', 'Softmax', 'Softplus', 'Softsign', 'Sqrt', 'Tan', 'Tanh',
  'ThresholdedRelu', 'GroupNormalization', 'CumSum', 'Trilu',
])

const broadcastOps = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'LessOrEqual', 'Greater',
  'GreaterOrEqual', 'And', 'Or', 'Xor', 'Where', 'Mod', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor',
])

const reduceOps = new Set([
  'ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
  'ReduceLogSumExp', 'ReduceSumSquare', 'ArgMax', 'ArgMin',
])

/** Infers what it can for one node; returns facts per output (undefined = unknown). */
function inferNode(node: NodeProto, get: (name: string | undefined) => ValueFacts | undefined): (ValueFacts | undefined)[] {
  const op = node.opType ?? ''
  const inputs = node.input ?? []
  const x = get(inputs[0])
  const xs = x?.shape
  if (node.domain && node.domain !== 'ai.onnx') return []
  if (op === 'Constant') {
    const a = node.attribute?.[0]
    if (a?.t) return [tensorFacts(a.t)]
    if (a?.name === 'value_int') return [{ shape: [], value: [toNumber(a.i)] }]
    if (a?.name === 'value_ints') return [{ shape: [a.ints?.length ?? 0], value: (a.ints ?? []).map((v) => toNumber(v)) }]
    if (a?.name === 'value_float') return [{ shape: [] }]
    if (a?.name === 'value_floats') return [{ shape: [a.floats?.length ?? 0] }]
    return []
  }
  if (op === 'ConstantOfShape') return x?.value && allNum(x.value) ? [{ shape: [...x.value] }] : []
  if (op === 'Shape') {
    if (!xs) return []
    const start = axisOf(intAttr(node, 'start', 0), xs.length)
    const end = findAttr(node, 'end') ? axisOf(intAttr(node, 'end', xs.length), xs.length) : xs.length
    const value = xs.slice(Math.max(0, start), Math.min(xs.length, end))
    return [{ shape: [value.length], value }]
  }
  if (op === 'Size') return [xs && allNum(xs) ? { shape: [], value: [xs.reduce((p, d) => p * d, 1)] } : { shape: [] }]
  if (!xs) return []
  if (sameShapeOps.has(op)) {
    const value = op === 'Cast' || op === 'Identity' ? x?.value : undefined
    return [value ? { shape: xs, value } : { shape: xs }]
  }
  if (broadcastOps.has(op)) {
    const shapes = inputs.map((name) => get(name)?.shape)
    if (shapes.some((s) => !s)) return []
    const shape = broadcast(shapes as Dim[][])
    if (!shape) return []
    const a = x?.value
    const b = get(inputs[1])?.value
    if (inputs.length === 2 && a && b && allNum(a) && allNum(b) && (a.length === b.length || a.length === 1 || b.length === 1)) {
      const n = Math.max(a.length, b.length)
      const value = Array.from({ length: n }, (_, i) => arithmetic(op, a[a.length === 1 ? 0 : i]!, b[b.length === 1 ? 0 : i]!))
      if (value.every((v) => v !== undefined)) return [{ shape, value: value as number[] }]
    }
    return [{ shape }]
  }
  switch (op) {
    case 'Conv':
      return [{ shape: convShape(node, xs, get(inputs[1])?.shape) }]
    case 'QLinearConv':
      return [{ shape: convShape(node, xs, get(inputs[3])?.shape) }]
    case 'ConvInteger':
      return [{ shape: convShape(node, xs, get(inputs[1])?.shape) }]
    case 'ConvTranspose':
      return [{ shape: convTransposeShape(node, xs, get(inputs[1])?.shape) }]
    case 'MaxPool':
    case 'AveragePool':
    case 'LpPool': {
      const kernel = intsAttr(node, 'kernel_shape')
      if (!kernel) return []
      const out: Dim[] = [xs[0] as Dim, xs[1] as Dim]
      for (let i = 0; i < kernel.length; i++) {
        const input = xs[i + 2]
        if (!isNum(input)) return []
        out.push(windowOut(node, input, kernel[i] as number, i, kernel.length))
      }
      return [{ shape: out }, { shape: out }]
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
    case 'GlobalLpPool':
      return [{ shape: [...xs.slice(0, 2), ...xs.slice(2).map(() => 1)] }]
    case 'Gemm': {
      const b = get(inputs[1])?.shape
      if (!b || xs.length !== 2 || b.length !== 2) return []
      const m = intAttr(node, 'transA', 0) ? xs[1] : xs[0]
      const n = intAttr(node, 'transB', 0) ? b[0] : b[1]
      return [{ shape: [m as Dim, n as Dim] }]
    }
    case 'MatMul':
    case 'MatMulInteger': {
      const b = get(inputs[1])?.shape
      return b ? [{ shape: matMulShape(xs, b) }] : []
    }
    case 'QLinearMatMul': {
      const b = get(inputs[3])?.shape
      return b ? [{ shape: matMulShape(xs, b) }] : []
    }
    case 'Flatten': {
      const axis = axisOf(intAttr(node, 'axis', 1), xs.length)
      const prod = (dims: readonly Dim[]): Dim | undefined =>
        allNum(dims) ? dims.reduce((p, d) => p * d, 1) : dims.length === 1 ? dims[0] : undefined
      const a = prod(xs.slice(0, axis))
      const b = prod(xs.slice(axis))
      return a === undefined || b === undefined ? [] : [{ shape: [a, b] }]
    }
    case 'Reshape': {
      const target = node.attribute?.find((a) => a.name === 'shape')?.ints?.map((v) => toNumber(v)) ?? get(inputs[1])?.value
      if (!target) return []
      const shape = reshape(xs, target, intAttr(node, 'allowzero', 0) === 1)
      return [shape ? { shape, ...(x?.value ? { value: x.value } : {}) } : undefined]
    }
    case 'Transpose': {
      const perm = intsAttr(node, 'perm') ?? xs.map((_, i) => xs.length - 1 - i)
      return [{ shape: perm.map((p) => xs[p] as Dim) }]
    }
    case 'Concat': {
      const shapes = inputs.map((name) => get(name))
      if (shapes.some((f) => !f?.shape)) return []
      const axis = axisOf(intAttr(node, 'axis', 0), xs.length)
      const sizes = shapes.map((f) => f!.shape![axis])
      const shape = [...xs]
      shape[axis] = allNum(sizes) ? sizes.reduce((p, d) => p + d, 0) : '?'
      const values = shapes.map((f) => f!.value)
      const value = xs.length === 1 && values.every((v) => v !== undefined) ? values.flatMap((v) => v as Dim[]) : undefined
      return [value ? { shape, value } : { shape }]
    }
    case 'Unsqueeze':
    case 'Squeeze': {
      const axes = intsAttr(node, 'axes') ?? get(inputs[1])?.value?.map(Number)
      if (op === 'Unsqueeze') {
        if (!axes) return []
        const rank = xs.length + axes.length
        const set = new Set(axes.map((a) => axisOf(a, rank)))
        const shape: Dim[] = []
        let j = 0
        for (let i = 0; i < rank; i++) shape.push(set.has(i) ? 1 : (xs[j++] as Dim))
        return [{ shape, ...(x?.value ? { value: x.value } : {}) }]
      }
      const set = new Set((axes ?? xs.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => axisOf(a, xs.length)))
      return [{ shape: xs.filter((_, i) => !set.has(i)), ...(x?.value ? { value: x.value } : {}) }]
    }
    case 'Gather': {
      const indices = get(inputs[1])
      if (!indices?.shape) return []
      const axis = axisOf(intAttr(node, 'axis', 0), xs.length)
      const shape = [...xs.slice(0, axis), ...indices.shape, ...xs.slice(axis + 1)]
      if (x?.value && xs.length === 1 && indices.value && allNum(indices.value)) {
        const n = x.value.length
        return [{ shape, value: indices.value.map((i) => x.value![i < 0 ? i + n : i] as Dim) }]
      }
      return [{ shape }]
    }
    case 'Slice': {
      const starts = intsAttr(node, 'starts') ?? get(inputs[1])?.value
      const ends = intsAttr(node, 'ends') ?? get(inputs[2])?.value
      const axes = intsAttr(node, 'axes') ?? get(inputs[3])?.value ?? starts?.map((_, i) => i)
      const steps = get(inputs[4])?.value ?? starts?.map(() => 1)
      if (!allNum(starts) || !allNum(ends) || !allNum(axes) || !allNum(steps)) return []
      const shape = sliceDims(xs, starts, ends, axes, steps)
      if (!shape) return []
      if (x?.value && xs.length === 1) return [{ shape, value: sliceValues(x.value, starts[0]!, ends[0]!, steps[0]!) }]
      return [{ shape }]
    }
    case 'Pad': {
      const pads = intsAttr(node, 'pads') ?? get(inputs[1])?.value
      if (!allNum(pads) || !allNum(xs) || pads.length !== xs.length * 2) return []
      return [{ shape: xs.map((d, i) => d + pads[i]! + pads[i + xs.length]!) }]
    }
    default:
      break
  }
  if (reduceOps.has(op)) {
    const keep = intAttr(node, 'keepdims', 1) === 1
    const axesList = intsAttr(node, 'axes') ?? (op.startsWith('Arg') ? [intAttr(node, 'axis', 0)] : get(inputs[1])?.value)
    if (axesList && !allNum(axesList)) return []
    const axes = new Set((axesList ?? xs.map((_, i) => i)).map((a) => axisOf(a, xs.length)))
    const shape = keep ? xs.map((d, i) => (axes.has(i) ? 1 : d)) : xs.filter((_, i) => !axes.has(i))
    return [{ shape }]
  }
  return []
}

/**
 * Shapes (and small integer values) of the graph's values. `inputShapes` overrides the graph inputs'
 * declared shapes (to pin a dynamic batch dim to 1, for example). Declared value_info fills what the
 * inference cannot work out.
 */
/**
 * An If's outputs: the taken branch's when the condition is folded, else what both branches agree on (a dim
 * they disagree on is unknown, '?'; outputs of different ranks stay unknown).
 */
function inferIf(node: NodeProto, get: (name: string | undefined) => ValueFacts | undefined, scope: ReadonlyMap<string, ValueFacts>): (ValueFacts | undefined)[] {
  const branchOutputs = (name: string): (ValueFacts | undefined)[] => {
    const body = findAttr(node, name)?.g
    if (!body) return []
    const facts = inferShapes(body, new Map(), scope)
    return (body.output ?? []).map((o) => facts.get(o.name ?? ''))
  }
  const cond = get(node.input?.[0])?.value?.[0]
  if (isNum(cond)) return branchOutputs(cond !== 0 ? 'then_branch' : 'else_branch')
  const [then, otherwise] = [branchOutputs('then_branch'), branchOutputs('else_branch')]
  return then.map((a, i) => {
    const b = otherwise[i]
    if (!a?.shape || !b?.shape || a.shape.length !== b.shape.length) return undefined
    return { shape: a.shape.map((d, k) => (d === b.shape?.[k] ? d : '?')) }
  })
}

/**
 * Facts for every value `graph` makes, from its inputs' shapes (or `inputShapes`). `outer` holds the facts of
 * the enclosing graphs, which a subgraph (an If branch, a Loop body) reads by name.
 */
export function inferShapes(graph: GraphProto, inputShapes: ReadonlyMap<string, readonly Dim[]> = new Map(), outer: ReadonlyMap<string, ValueFacts> = new Map()): ShapeMap {
  const facts: ShapeMap = new Map()
  const declared = new Map<string, readonly Dim[]>()
  for (const info of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const dims = info.type?.tensorType?.shape?.dim
    if (info.name && dims) declared.set(info.name, dims.map(dimOf))
  }
  for (const input of graph.input ?? []) {
    const dims = input.type?.tensorType?.shape?.dim
    const shape = inputShapes.get(input.name ?? '') ?? dims?.map(dimOf)
    if (input.name && shape) facts.set(input.name, { shape })
  }
  for (const init of graph.initializer ?? []) if (init.name) facts.set(init.name, tensorFacts(init))
  const get = (name: string | undefined): ValueFacts | undefined => (name ? (facts.get(name) ?? outer.get(name)) : undefined)
  for (const node of graph.node ?? []) {
    let outputs: (ValueFacts | undefined)[] = []
    try {
      outputs = node.opType === 'If' && !node.domain ? inferIf(node, get, new Map([...outer, ...facts])) : inferNode(node, get)
    } catch {
      outputs = []
    }
    node.output?.forEach((name, i) => {
      const inferred = outputs[i]
      if (inferred?.shape) facts.set(name, inferred)
      else if (declared.has(name)) facts.set(name, { shape: declared.get(name)! })
    })
  }
  return facts
}
