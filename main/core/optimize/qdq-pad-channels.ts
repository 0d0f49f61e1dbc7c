// ONNX Runtime's fast int8 convolution on x86 and ARM (MLAS's symmetric "ConvSym" kernels, which
// QLinearConv uses when the weights' zero point is 0) needs a multiple of 4 input channels. A first layer
// on RGB images has 3, falls back to im2col + GEMM and costs about twice as much: on squeezenet it was a
// third of the int8 model's time. Padding that Conv's uint8 input with one channel of the zero point
// (which dequantizes to exactly 0) and its int8 weights with zeros gives the same outputs, bit for bit,
// through the fast kernel; the Pad moves a quarter of the bytes a float one would.
import { intAttr, makeNode, nameAllocator } from '../onnx/graph-edit'
import { indexGraph, withoutUnusedValues } from '../onnx/graph-index'
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../onnx/onnx-types'
import { makeTensor, tensorToArray } from '../onnx/tensor-data'

/** The kernel takes input channels in groups of this many. */
const CHANNEL_ALIGNMENT = 4
/** Below this many output channels (or a count not a multiple of 8) the kernel is not used anyway. */
const MIN_OUTPUT_CHANNELS = 16
/**
 * The fast kernel was about 2× the fallback on 3 → 4 channels; padding 1 or 2 channels to 4 would
 * multiply the work by 4 or 2 and eat that, so a Conv is padded only when the work grows by a third at most.
 */
const MAX_GROWTH = 4 / 3

export interface PaddedConv {
  readonly node: string
  readonly from: number
  readonly to: number
}

const alignedUp = (channels: number): number => Math.ceil(channels / CHANNEL_ALIGNMENT) * CHANNEL_ALIGNMENT

/** Weights [M, C, k…] → [M, C + extra, k…] with the new input channels all zero. */
export function padInputChannels(values: Int8Array, dims: readonly number[], extra: number): Int8Array {
  const [m = 0, c = 0, ...kernel] = dims
  const k = kernel.reduce((a, b) => a * b, 1)
  const out = new Int8Array(m * (c + extra) * k)
  for (let o = 0; o < m; o++) out.set(values.subarray(o * c * k, (o + 1) * c * k), o * (c + extra) * k)
  return out
}

/** The quantized input and the stored zero point of a DequantizeLinear whose zero point has this type. */
function dequantizeOf(node: NodeProto | undefined, initializers: ReadonlyMap<string, TensorProto>, type: number): { q: string; zp: TensorProto } | undefined {
  if (node?.opType !== 'DequantizeLinear' || node.domain) return undefined
  const [q = '', , zpName = ''] = node.input ?? []
  const zp = initializers.get(zpName)
  return zp?.dataType === type ? { q, zp } : undefined
}

export function padConvChannels(model: ModelProto): { model: ModelProto; padded: readonly PaddedConv[] } {
  const source = model.graph as GraphProto
  const index = indexGraph(source)
  const fresh = nameAllocator(source)
  const initializers: TensorProto[] = [...(source.initializer ?? [])]
  const nodes: NodeProto[] = []
  const padded: PaddedConv[] = []
  for (const node of source.node ?? []) {
    const [x = '', w = ''] = node.input ?? []
    const dqX = index.producer.get(x)
    const dqW = index.producer.get(w)
    const input = dequantizeOf(dqX, index.initializers, DataType.UINT8)
    const weight = dequantizeOf(dqW, index.initializers, DataType.INT8)
    const stored = weight && index.initializers.get(weight.q)
    const dims = (stored?.dims ?? []).map(Number)
    const [m = 0, c = 0] = dims
    const eligible =
      node.opType === 'Conv' && !node.domain && intAttr(node, 'group', 1) === 1 &&
      input !== undefined && (input.zp.dims ?? []).length === 0 &&
      weight !== undefined && (tensorToArray(weight.zp) as Int8Array).every((v) => v === 0) &&
      c % CHANNEL_ALIGNMENT !== 0 && alignedUp(c) / c <= MAX_GROWTH && m >= MIN_OUTPUT_CHANNELS && m % 8 === 0
    if (!eligible || !stored || !dqX || !dqW) {
      nodes.push(node)
      continue
    }
    const extra = alignedUp(c) - c
    const rank = dims.length
    const pads = new BigInt64Array(2 * rank)
    pads[rank + 1] = BigInt(extra)
    const padsName = fresh(`${x}_channel_pads`)
    const paddedWeight = fresh(`${weight.q}_padded`)
    initializers.push(
      makeTensor(padsName, [2 * rank], pads),
      makeTensor(paddedWeight, [m, c + extra, ...dims.slice(2)], padInputChannels(tensorToArray(stored) as Int8Array, dims, extra), DataType.INT8),
    )
    const qPadded = fresh(`${input.q}_padded`)
    const xPadded = fresh(`${x}_padded`)
    const wPadded = fresh(`${w}_padded`)
    nodes.push(
      makeNode('Pad', [input.q, padsName, input.zp.name ?? ''], [qPadded], { name: fresh(`${node.name || 'Conv'}_pad_channels`), attrs: { mode: 'constant' } }),
      makeNode('DequantizeLinear', [qPadded, ...(dqX.input ?? []).slice(1)], [xPadded], { name: fresh(`${xPadded}_DequantizeLinear`) }),
      { ...dqW, name: fresh(`${wPadded}_DequantizeLinear`), input: [paddedWeight, ...(dqW.input ?? []).slice(1)], output: [wPadded] },
      { ...node, input: [xPadded, wPadded, ...(node.input ?? []).slice(2)] },
    )
    padded.push({ node: node.name || x, from: c, to: c + extra })
  }
  if (padded.length === 0) return { model, padded }
  const graph = withoutUnusedValues({ ...source, node: nodes, initializer: initializers })
  return { model: { ...model, graph }, padded }
}
