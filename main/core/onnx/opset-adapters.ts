// The conversions between opset versions of the ops whose meaning changed (what ONNX's own
// version_converter does, for the ops model zoos contain). An adapter is keyed `Op@v`: it turns a node
// valid just before opset v into nodes valid at v (which the upgrade then carries further). Every
// version change not listed here only widened the op (new types, negative axes, optional inputs), so the
// node stays as it is. What cannot be converted throws Unconvertible with the reason.
import { toNumber } from './codec'
import { makeAttribute, type AttributeValue } from './graph-builder'
import { findAttr, floatAttr, intAttr, makeNode } from './graph-edit'
import { DataType, type NodeProto, type TensorProto } from './onnx-types'
import { tensorToArray, type TensorArray } from './tensor-data'

export class Unconvertible extends Error {
  override name = 'Unconvertible'
}

export interface UpgradeContext {
  /** A value or node name used nowhere in the model. */
  fresh(base: string): string
  /** Stores a constant in the node's graph; returns its name. */
  constant(base: string, dims: readonly number[], data: TensorArray): string
  /** The value's rank, when the graph says or implies it. */
  rank(name: string): number | undefined
  /** Whether any node or graph output reads the value. */
  isRead(name: string): boolean
  /** The stored tensor (initializer) a value names, if it is one. */
  stored(name: string): TensorProto | undefined
  /** The value's element type where the graph declares it. */
  elemType(name: string): number | undefined
}

export type Adapter = (node: NodeProto, ctx: UpgradeContext) => NodeProto[]

function ints(node: NodeProto, name: string): number[] | undefined {
  const a = findAttr(node, name)
  return a?.ints?.length || a?.type === 7 ? (a.ints ?? []).map(toNumber) : undefined
}

function text(node: NodeProto, name: string): string | undefined {
  const s = findAttr(node, name)?.s
  return s ? new TextDecoder().decode(s) : undefined
}

/** A copy of the node without the named attributes and with the given ones set. */
function edit(node: NodeProto, drop: readonly string[], set: Readonly<Record<string, AttributeValue>> = {}, floats: readonly string[] = []): NodeProto {
  const removed = new Set([...drop, ...Object.keys(set)])
  const attribute = (node.attribute ?? []).filter((a) => !removed.has(a.name ?? ''))
  for (const [k, v] of Object.entries(set)) attribute.push(makeAttribute(k, v, floats.includes(k)))
  const copy: NodeProto = { ...node, attribute }
  if (attribute.length === 0) delete copy.attribute
  return copy
}

/** The node with an int attribute list moved to an int64 input at `position` (absent attribute: input left empty). */
function intsToInput(node: NodeProto, attr: string, position: number, ctx: UpgradeContext): NodeProto {
  const values = ints(node, attr)
  const copy = edit(node, [attr])
  if (values === undefined) return copy
  const input = [...(copy.input ?? [])]
  while (input.length < position) input.push('')
  input[position] = ctx.constant(`${node.name || node.opType}_${attr}`, [values.length], BigInt64Array.from(values.map(BigInt)))
  return { ...copy, input }
}

function floatScalar(value: number, type: number | undefined): TensorArray {
  if (type === DataType.DOUBLE) return Float64Array.of(value)
  if (type === undefined || type === DataType.FLOAT) return Float32Array.of(value)
  throw new Unconvertible(`its input is not float32 or float64`)
}

/** Old broadcasting (`broadcast=1`, `axis`) becomes numpy broadcasting: B gets trailing 1s where it aligned at `axis`. */
const legacyBroadcast: Adapter = (node, ctx) => {
  const plain = edit(node, ['broadcast', 'axis', 'consumed_inputs'])
  const axisAttr = findAttr(node, 'axis')
  if (!intAttr(node, 'broadcast', 0) || !axisAttr) return [plain]
  const [a = '', b = ''] = node.input ?? []
  const rankA = ctx.rank(a)
  const rankB = ctx.rank(b)
  if (rankA === undefined || rankB === undefined) throw new Unconvertible('it broadcasts along an axis and the ranks of its inputs are unknown')
  const axis = toNumber(axisAttr.i)
  const trailing = rankA - (axis < 0 ? axis + rankA : axis) - rankB
  if (trailing <= 0) return [plain]
  const axes = Array.from({ length: trailing }, (_, i) => rankB + i)
  const expanded = ctx.fresh(`${b}_broadcast`)
  return [
    makeNode('Unsqueeze', [b], [expanded], { name: ctx.fresh(`${node.name || node.opType}_broadcast`), attrs: { axes } }),
    { ...plain, input: [a, expanded] },
  ]
}

const dataTypeNames: Readonly<Record<string, number>> = DataType

/** Softmax, LogSoftmax, Hardmax before 13 flatten to 2-D at `axis`; from 13 they reduce one axis. */
const singleAxis: Adapter = (node, ctx) => {
  const x = node.input?.[0] ?? ''
  const axis = intAttr(node, 'axis', 1)
  const rank = ctx.rank(x)
  if (rank !== undefined && (axis === rank - 1 || axis === -1)) return [edit(node, [], { axis: -1 })]
  const label = node.name || node.opType || 'softmax'
  const flat = ctx.fresh(`${x}_2d`)
  const reduced = ctx.fresh(`${label}_2d_out`)
  const shape = ctx.fresh(`${x}_shape`)
  return [
    makeNode('Flatten', [x], [flat], { name: ctx.fresh(`${label}_flatten`), attrs: { axis } }),
    { ...edit(node, [], { axis: -1 }), input: [flat], output: [reduced] },
    makeNode('Shape', [x], [shape], { name: ctx.fresh(`${label}_shape`) }),
    makeNode('Reshape', [reduced, shape], [...(node.output ?? []).slice(0, 1)], { name: ctx.fresh(`${label}_reshape`) }),
  ]
}

const dropIsTest: Adapter = (node) => [edit(node, ['is_test'])]

/** Only the first output; refused where a model reads the others (training-time statistics or masks). */
function firstOutputOnly(node: NodeProto, ctx: UpgradeContext, what: string): NodeProto {
  if ((node.output ?? []).slice(1).some((o) => o && ctx.isRead(o))) throw new Unconvertible(`the model reads its ${what}`)
  return { ...node, output: (node.output ?? []).slice(0, 1) }
}

const rnnOutputSequence: Adapter = (node) => [edit(node, ['output_sequence'])]

export const adapters: Readonly<Record<string, Adapter>> = {
  'Add@7': legacyBroadcast,
  'Sub@7': legacyBroadcast,
  'Mul@7': legacyBroadcast,
  'Div@7': legacyBroadcast,
  'Pow@7': legacyBroadcast,
  'And@7': legacyBroadcast,
  'Or@7': legacyBroadcast,
  'Xor@7': legacyBroadcast,
  'Equal@7': legacyBroadcast,
  'Greater@7': legacyBroadcast,
  'Less@7': legacyBroadcast,
  // Gemm's C broadcasts one way from 7 on; `broadcast=0` required it full-sized, which still works.
  'Gemm@7': (node) => [edit(node, ['broadcast'])],
  'PRelu@7': (node, ctx) => {
    const slope = node.input?.[1] ?? ''
    const rank = ctx.rank(node.input?.[0] ?? '')
    const s = ctx.stored(slope)
    const dims = (s?.dims ?? []).map(Number)
    // A per-channel slope [C] meant channel 1 before 7; numpy broadcasting would align it with the last axis.
    if (s && dims.length === 1 && (dims[0] as number) > 1 && rank !== undefined && rank > 2) {
      const axes = Array.from({ length: rank - 2 }, (_, i) => i + 1)
      const expanded = ctx.fresh(`${slope}_per_channel`)
      return [makeNode('Unsqueeze', [slope], [expanded], { name: ctx.fresh(`${node.name || 'PRelu'}_slope`), attrs: { axes } }), { ...node, input: [node.input?.[0] ?? '', expanded] }]
    }
    return [node]
  },
  'BatchNormalization@7': dropIsTest,
  'BatchNormalization@9': (node, ctx) => {
    if (intAttr(node, 'spatial', 1) !== 1) throw new Unconvertible('spatial=0 (statistics per element) has no form after opset 8')
    return [firstOutputOnly(edit(node, ['spatial']), ctx, 'running mean and variance outputs (training only)')]
  },
  'Dropout@7': dropIsTest,
  // Inference ignores the ratio; from 12 it would be an input.
  'Dropout@12': (node, ctx) => [firstOutputOnly(edit(node, ['ratio']), ctx, 'dropout mask')],
  'Cast@6': (node) => {
    const to = text(node, 'to')
    if (to === undefined) return [node]
    const code = dataTypeNames[to.toUpperCase()]
    if (code === undefined) throw new Unconvertible(`it casts to '${to}', which is no ONNX type`)
    return [edit(node, [], { to: code })]
  },
  'Concat@4': (node) => [findAttr(node, 'axis') ? node : edit(node, [], { axis: 1 })],
  'Reshape@5': (node, ctx) => {
    const shape = ints(node, 'shape')
    if (shape === undefined) return [node]
    return [{ ...edit(node, ['shape']), input: [node.input?.[0] ?? '', ctx.constant(`${node.name || 'Reshape'}_shape`, [shape.length], BigInt64Array.from(shape.map(BigInt)))] }]
  },
  'Pad@2': (node) => {
    const pads = ints(node, 'paddings')
    return [pads === undefined ? node : edit(node, ['paddings'], { pads })]
  },
  'Pad@11': (node, ctx) => {
    const pads = ints(node, 'pads') ?? []
    const value = floatAttr(node, 'value', 0)
    const x = node.input?.[0] ?? ''
    const input = [x, ctx.constant(`${node.name || 'Pad'}_pads`, [pads.length], BigInt64Array.from(pads.map(BigInt)))]
    if (value !== 0) input.push(ctx.constant(`${node.name || 'Pad'}_value`, [], floatScalar(value, ctx.elemType(x))))
    return [{ ...edit(node, ['pads', 'value']), input }]
  },
  'Split@2': (node, ctx) => {
    const given = node.input?.[1]
    if (!given) return [node]
    const stored = ctx.stored(given)
    if (!stored) throw new Unconvertible('its split sizes are computed at run time')
    const sizes = Array.from(tensorToArray(stored) as ArrayLike<number | bigint>, Number)
    return [{ ...edit(node, [], { split: sizes }), input: [node.input?.[0] ?? ''] }]
  },
  'Split@13': (node, ctx) => [intsToInput(node, 'split', 1, ctx)],
  'Squeeze@13': (node, ctx) => [intsToInput(node, 'axes', 1, ctx)],
  'Unsqueeze@13': (node, ctx) => {
    const axes = ints(node, 'axes')
    if (axes === undefined) throw new Unconvertible('Unsqueeze without axes')
    return [intsToInput(node, 'axes', 1, ctx)]
  },
  'ReduceSum@13': (node, ctx) => [intsToInput(node, 'axes', 1, ctx)],
  'Slice@10': (node, ctx) => {
    let out = intsToInput(node, 'starts', 1, ctx)
    out = intsToInput(out, 'ends', 2, ctx)
    return [intsToInput(out, 'axes', 3, ctx)]
  },
  'TopK@10': (node, ctx) => {
    const k = intAttr(node, 'k', -1)
    if (k < 0) throw new Unconvertible('TopK without k')
    return [{ ...edit(node, ['k']), input: [node.input?.[0] ?? '', ctx.constant(`${node.name || 'TopK'}_k`, [1], BigInt64Array.of(BigInt(k)))] }]
  },
  'Clip@11': (node, ctx) => {
    const x = node.input?.[0] ?? ''
    const type = ctx.elemType(x)
    const min = findAttr(node, 'min')
    const max = findAttr(node, 'max')
    const input = [x, min ? ctx.constant(`${node.name || 'Clip'}_min`, [], floatScalar(min.f ?? 0, type)) : '']
    if (max) input.push(ctx.constant(`${node.name || 'Clip'}_max`, [], floatScalar(max.f ?? 0, type)))
    return [{ ...edit(node, ['min', 'max']), input }]
  },
  'Softmax@13': singleAxis,
  'LogSoftmax@13': singleAxis,
  'Hardmax@13': singleAxis,
  'LpPool@2': (node) => [edit(node, [], { p: Math.round(floatAttr(node, 'p', 2)) })],
  'GlobalLpPool@2': (node) => [edit(node, [], { p: Math.round(floatAttr(node, 'p', 2)) })],
  'RNN@7': rnnOutputSequence,
  'GRU@7': rnnOutputSequence,
  'LSTM@7': rnnOutputSequence,
  'Upsample@7': (node) => {
    const h = findAttr(node, 'height_scale')
    const w = findAttr(node, 'width_scale')
    const mode = text(node, 'mode') === 'bilinear' ? 'linear' : (text(node, 'mode') ?? 'nearest')
    if (!h && !w) return [edit(node, [], { mode })]
    return [edit(node, ['height_scale', 'width_scale'], { mode, scales: [1, 1, h?.f ?? 1, w?.f ?? 1] }, ['scales'])]
  },
  'Upsample@9': (node, ctx) => {
    const scales = findAttr(node, 'scales')?.floats
    if (!scales) return [node]
    return [{ ...edit(node, ['scales']), input: [node.input?.[0] ?? '', ctx.constant(`${node.name || 'Upsample'}_scales`, [scales.length], Float32Array.from(scales))] }]
  },
  // Upsample is deprecated from 10: Resize-10 takes the same inputs and means the same.
  'Upsample@10': (node) => [{ ...node, opType: 'Resize' }],
  // Resize-10 computed coordinates as Upsample did (asymmetric, nearest rounding down); 11 made that explicit.
  'Resize@11': (node, ctx) => {
    const mode = text(node, 'mode') ?? 'nearest'
    const roi = ctx.constant(`${node.name || 'Resize'}_roi`, [0], new Float32Array(0))
    return [
      {
        ...edit(node, [], { coordinate_transformation_mode: 'asymmetric', ...(mode === 'nearest' ? { nearest_mode: 'floor' } : {}) }),
        input: [node.input?.[0] ?? '', roi, node.input?.[1] ?? ''],
      },
    ]
  },
  'Resize@13': (node) => {
    if (text(node, 'coordinate_transformation_mode') === 'tf_half_pixel_for_nn') throw new Unconvertible("coordinate mode 'tf_half_pixel_for_nn' was removed at opset 13")
    return [node]
  },
  'Scatter@11': (node) => [{ ...node, opType: 'ScatterElements' }],
  'Tile@6': () => {
    throw new Unconvertible('Tile before opset 6 repeated along one axis given as an input')
  },
  'Scan@9': () => {
    throw new Unconvertible('Scan before opset 9 had a batch axis and sequence lengths, which later Scan has not')
  },
}

/** Ops that left the standard: converted to standard ops where the meaning is simple. */
export const retired: Readonly<Record<string, Adapter>> = {
  // ImageScaler (experimental, in model-zoo models from 2018): y = scale * x + bias[c].
  ImageScaler: (node, ctx) => {
    const scale = floatAttr(node, 'scale', 1)
    const bias = findAttr(node, 'bias')?.floats ?? []
    const x = node.input?.[0] ?? ''
    const label = node.name || 'ImageScaler'
    const scaled = ctx.fresh(`${label}_scaled`)
    const type = ctx.elemType(x)
    return [
      makeNode('Mul', [x, ctx.constant(`${label}_scale`, [], floatScalar(scale, type))], [scaled], { name: ctx.fresh(`${label}_Mul`) }),
      makeNode('Add', [scaled, ctx.constant(`${label}_bias`, [1, bias.length, 1, 1], Float32Array.from(bias))], [...(node.output ?? [])], { name: ctx.fresh(`${label}_Add`) }),
    ]
  },
}
