// Models bench/quantize.ts generates for itself: a transformer-encoder-style model (LayerNormalization,
// multi-head attention with Softmax, MatMul projections, a feed-forward block) and a MatMul stack of a
// chosen size in bytes (the peak-memory check). Weights are seeded.
import { GraphBuilder, makeValueInfo } from '../main/core/onnx/graph-builder'
import { DataType, type ModelProto } from '../main/core/onnx/onnx-types'
import { seededRandom } from '../main/core/bench/random-inputs'

export interface EncoderOptions {
  readonly hidden?: number
  readonly heads?: number
  readonly layers?: number
  readonly ffn?: number
  readonly seed?: number
}

export function transformerEncoderModel(options: EncoderOptions = {}): ModelProto {
  const random = seededRandom(options.seed ?? 2)
  const hidden = options.hidden ?? 256
  const heads = options.heads ?? 4
  const ffn = options.ffn ?? hidden * 4
  const headSize = hidden / heads
  const g = new GraphBuilder()
  g.claimName('input')
  g.claimName('output')
  const weight = (name: string, k: number, n: number): string =>
    g.initializer(name, [k, n], Float32Array.from({ length: k * n }, () => (random() * 2 - 1) * Math.sqrt(3 / k)))
  const vector = (name: string, n: number, f: () => number): string => g.initializer(name, [n], Float32Array.from({ length: n }, f))
  const linear = (x: string, k: number, n: number, name: string): string =>
    g.node('Add', [g.node('MatMul', [x, weight(`${name}.weight`, k, n)], { name: `${name}/MatMul` }), vector(`${name}.bias`, n, () => (random() - 0.5) * 0.02)], { name: `${name}/Add` })
  const layerNorm = (x: string, name: string): string =>
    g.node('LayerNormalization', [x, vector(`${name}.gamma`, hidden, () => 1), vector(`${name}.beta`, hidden, () => 0)], {
      name: `${name}/LayerNormalization`,
      attributes: { axis: -1, epsilon: 1e-5 },
      floatAttributes: ['epsilon'],
    })
  const splitShape = g.int64s('split_heads_shape', [0, 0, heads, headSize])
  const mergeShape = g.int64s('merge_heads_shape', [0, 0, hidden])
  const scale = g.initializer('attention_scale', [], Float32Array.of(1 / Math.sqrt(headSize)))
  let x = 'input'
  for (let l = 0; l < (options.layers ?? 4); l++) {
    const p = `layer${l}`
    const h = layerNorm(x, `${p}.ln1`)
    const heads4 = (name: string, perm: number[]): string =>
      g.node('Transpose', [g.node('Reshape', [linear(h, hidden, hidden, `${p}.${name}`), splitShape], { name: `${p}.${name}/Reshape` })], { name: `${p}.${name}/Transpose`, attributes: { perm } })
    const q = heads4('query', [0, 2, 1, 3])
    const k = heads4('key', [0, 2, 3, 1])
    const v = heads4('value', [0, 2, 1, 3])
    const scores = g.node('Mul', [g.node('MatMul', [q, k], { name: `${p}.scores/MatMul` }), scale], { name: `${p}.scores/Mul` })
    const probs = g.node('Softmax', [scores], { name: `${p}/Softmax`, attributes: { axis: -1 } })
    const context = g.node('MatMul', [probs, v], { name: `${p}.context/MatMul` })
    const merged = g.node('Reshape', [g.node('Transpose', [context], { name: `${p}.context/Transpose`, attributes: { perm: [0, 2, 1, 3] } }), mergeShape], { name: `${p}.context/Reshape` })
    x = g.node('Add', [x, linear(merged, hidden, hidden, `${p}.attention_output`)], { name: `${p}.residual1/Add` })
    const h2 = layerNorm(x, `${p}.ln2`)
    const up = g.node('Relu', [linear(h2, hidden, ffn, `${p}.ffn_up`)], { name: `${p}.ffn/Relu` })
    x = g.node('Add', [x, linear(up, ffn, hidden, `${p}.ffn_down`)], { name: `${p}.residual2/Add` }, )
  }
  g.node('Identity', [layerNorm(x, 'final_ln')], { name: 'output/Identity', outputs: ['output'] })
  return g.model({
    graphName: 'transformer_encoder',
    inputs: [makeValueInfo('input', DataType.FLOAT, ['batch', 'sequence', hidden])],
    outputs: [makeValueInfo('output', DataType.FLOAT, ['batch', 'sequence', hidden])],
    opset: 17,
    producerName: 'slipway',
    producerVersion: 'bench',
  })
}

/** A chain of MatMul+Relu layers whose float32 weights take about `bytes` (square layers of `width`). */
export function matmulStackModel(bytes: number, width = 1024, seed = 3): ModelProto {
  const random = seededRandom(seed)
  const layers = Math.max(1, Math.round(bytes / (width * width * 4)))
  const g = new GraphBuilder()
  g.claimName('input')
  g.claimName('output')
  let x = 'input'
  for (let l = 0; l < layers; l++) {
    const w = g.initializer(`layer${l}.weight`, [width, width], Float32Array.from({ length: width * width }, () => (random() * 2 - 1) / Math.sqrt(width)))
    const y = g.node('MatMul', [x, w], { name: `layer${l}/MatMul` })
    x = l === layers - 1 ? y : g.node('Relu', [y], { name: `layer${l}/Relu` })
  }
  g.node('Identity', [x], { name: 'output/Identity', outputs: ['output'] })
  return g.model({
    graphName: 'matmul_stack',
    inputs: [makeValueInfo('input', DataType.FLOAT, ['batch', width])],
    outputs: [makeValueInfo('output', DataType.FLOAT, ['batch', width])],
    opset: 13,
    producerName: 'slipway',
    producerVersion: 'bench',
  })
}
