// Models generated for pruning tests and benchmarks: a ResNet-style conv net (Conv+BatchNormalization+
// Relu, residual Adds, strided downsampling, global pooling, Flatten, Gemm head) with seeded weights.
import { GraphBuilder, makeValueInfo } from '../onnx/graph-builder'
import { DataType, type ModelProto } from '../onnx/onnx-types'
import { seededRandom } from '../bench/random-inputs'

export interface ResnetStyleOptions {
  readonly seed?: number
  /** Channels of the first stage; each later stage doubles them. */
  readonly width?: number
  readonly stages?: number
  readonly blocksPerStage?: number
  readonly imageSize?: number
  readonly classes?: number
  /** Output channels of each block's first conv whose weights are zero and whose BN output is negative (dead after Relu). */
  readonly deadChannels?: number
}

export function resnetStyleModel(options: ResnetStyleOptions = {}): ModelProto {
  const random = seededRandom(options.seed ?? 1)
  const width = options.width ?? 32
  const size = options.imageSize ?? 32
  const classes = options.classes ?? 10
  const g = new GraphBuilder()
  g.claimName('input')
  g.claimName('logits')

  const convBn = (x: string, cin: number, cout: number, kernel: number, stride: number, name: string, dead = 0): string => {
    const fanIn = cin * kernel * kernel
    const w = Float32Array.from({ length: cout * fanIn }, () => (random() * 2 - 1) * Math.sqrt(3 / fanIn))
    for (let c = 0; c < dead; c++) w.fill(0, c * fanIn, (c + 1) * fanIn)
    const weight = g.initializer(`${name}.weight`, [cout, cin, kernel, kernel], w)
    const pad = (kernel - 1) / 2
    const conv = g.node('Conv', [x, weight], { name: `${name}/Conv`, attributes: { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] } })
    const per = (f: (c: number) => number): Float32Array => Float32Array.from({ length: cout }, (_, c) => f(c))
    const scale = g.initializer(`${name}.bn.scale`, [cout], per(() => 0.5 + random()))
    const bias = g.initializer(`${name}.bn.bias`, [cout], per((c) => (c < dead ? -1 : (random() - 0.5) * 0.2)))
    const mean = g.initializer(`${name}.bn.mean`, [cout], per(() => (random() - 0.5) * 0.1))
    const variance = g.initializer(`${name}.bn.var`, [cout], per(() => 0.5 + random()))
    return g.node('BatchNormalization', [conv, scale, bias, mean, variance], { name: `${name}/BatchNormalization`, attributes: { epsilon: 1e-5 }, floatAttributes: ['epsilon'] })
  }

  let x = g.node('Relu', [convBn('input', 3, width, 3, 1, 'stem')], { name: 'stem/Relu' })
  let channels = width
  for (let stage = 0; stage < (options.stages ?? 3); stage++) {
    for (let block = 0; block < (options.blocksPerStage ?? 2); block++) {
      const name = `stage${stage}.block${block}`
      const stride = stage > 0 && block === 0 ? 2 : 1
      const out = stage > 0 && block === 0 ? channels * 2 : channels
      const a = g.node('Relu', [convBn(x, channels, out, 3, stride, `${name}.conv1`, options.deadChannels ?? 0)], { name: `${name}/Relu1` })
      const b = convBn(a, out, out, 3, 1, `${name}.conv2`)
      const shortcut = stride === 1 && out === channels ? x : convBn(x, channels, out, 1, stride, `${name}.downsample`)
      x = g.node('Relu', [g.node('Add', [b, shortcut], { name: `${name}/Add` })], { name: `${name}/Relu2` })
      channels = out
    }
  }
  const pooled = g.node('GlobalAveragePool', [x], { name: 'head/GlobalAveragePool' })
  const flat = g.node('Flatten', [pooled], { name: 'head/Flatten', attributes: { axis: 1 } })
  const fc = g.initializer('head.fc.weight', [classes, channels], Float32Array.from({ length: classes * channels }, () => (random() * 2 - 1) / Math.sqrt(channels)))
  const fcBias = g.initializer('head.fc.bias', [classes], new Float32Array(classes))
  g.node('Gemm', [flat, fc, fcBias], { name: 'head/Gemm', attributes: { transB: 1 }, outputs: ['logits'] })
  return g.model({
    graphName: 'resnet_style',
    inputs: [makeValueInfo('input', DataType.FLOAT, ['batch', 3, size, size])],
    outputs: [makeValueInfo('logits', DataType.FLOAT, ['batch', classes])],
    opset: 13,
    producerName: 'slipway',
    producerVersion: 'test',
  })
}
