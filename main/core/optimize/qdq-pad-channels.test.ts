import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../bench/random-inputs'
import { encodeModel } from '../onnx/codec'
import { GraphBuilder, makeValueInfo } from '../onnx/graph-builder'
import { DataType, type ModelProto } from '../onnx/onnx-types'
import { padConvChannels, padInputChannels } from './qdq-pad-channels'

/** x → Q → DQ → Conv(DQ(int8 W [outChannels, inChannels, 3, 3])) → y, as the static recipe writes it. */
function qdqConv(inChannels: number, outChannels: number, weightZeroPoint = 0): ModelProto {
  const random = seededRandom(4)
  const g = new GraphBuilder()
  g.claimName('x')
  g.claimName('y')
  const scale = g.initializer('x_scale', [], Float32Array.of(0.02))
  const zp = g.initializer('x_zero_point', [], Uint8Array.of(117), DataType.UINT8)
  const q = g.node('QuantizeLinear', ['x', scale, zp], { name: 'x_QuantizeLinear' })
  const dq = g.node('DequantizeLinear', [q, scale, zp], { name: 'x_DequantizeLinear' })
  const count = outChannels * inChannels * 9
  const w = g.initializer('w_quantized', [outChannels, inChannels, 3, 3], Int8Array.from({ length: count }, () => Math.round(random() * 254 - 127)), DataType.INT8)
  const wScale = g.initializer('w_scale', [], Float32Array.of(0.01))
  const wZp = g.initializer('w_zero_point', [], Int8Array.of(weightZeroPoint), DataType.INT8)
  const wdq = g.node('DequantizeLinear', [w, wScale, wZp], { name: 'w_DequantizeLinear' })
  g.node('Conv', [dq, wdq], { name: 'conv', outputs: ['y'], attributes: { pads: [1, 1, 1, 1] } })
  return g.model({
    graphName: 'qdq',
    inputs: [makeValueInfo('x', DataType.FLOAT, [2, inChannels, 6, 6])],
    outputs: [makeValueInfo('y', DataType.FLOAT, [2, outChannels, 6, 6])],
    opset: 13,
    producerName: 'test',
    producerVersion: '0',
  })
}

async function run(model: ModelProto, inChannels: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(model))
  const random = seededRandom(7)
  const x = new ort.Tensor('float32', Float32Array.from({ length: 2 * inChannels * 36 }, () => random() * 4 - 2), [2, inChannels, 6, 6])
  const y = (await session.run({ x })).y?.data as Float32Array
  await session.release()
  return y
}

describe('padConvChannels', () => {
  it('pads 3 input channels to 4 with the zero point and zero weights: same outputs', async () => {
    const model = qdqConv(3, 16)
    const { model: padded, padded: list } = padConvChannels(model)
    expect(list).toEqual([{ node: 'conv', from: 3, to: 4 }])
    const nodes = padded.graph?.node ?? []
    const pad = nodes.find((n) => n.opType === 'Pad')
    expect(pad?.input?.[2]).toBe('x_zero_point')
    const weight = padded.graph?.initializer?.find((t) => t.name === 'w_quantized_padded')
    expect(weight?.dims?.map(Number)).toEqual([16, 4, 3, 3])
    expect(padded.graph?.initializer?.some((t) => t.name === 'w_quantized')).toBe(false)
    expect(await run(padded, 3)).toEqual(await run(model, 3))
  })

  it('leaves aligned channels, narrow layers, asymmetric weights and 1 or 2 channels (4× or 2× the work) alone', () => {
    for (const model of [qdqConv(4, 16), qdqConv(3, 8), qdqConv(3, 16, 3), qdqConv(1, 16), qdqConv(2, 16)]) expect(padConvChannels(model).padded).toEqual([])
    expect(padConvChannels(qdqConv(7, 16)).padded).toEqual([{ node: 'conv', from: 7, to: 8 }])
  })

  it('inserts zero input channels after each output channel block of the weights', () => {
    const w = Int8Array.from([1, 2, 3, 4, 5, 6])
    expect(Array.from(padInputChannels(w, [2, 3, 1, 1], 1))).toEqual([1, 2, 3, 0, 4, 5, 6, 0])
  })
})
