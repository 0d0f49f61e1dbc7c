// A small text-line recognizer of the kind OCR exports (PaddleOCR, CRNN): an image whose height and
// width are both dynamic goes through convolutions, is averaged over its height, and every column gets
// class scores. Generated with seeded weights for tests and demos of models whose dims must be given.
import { seededRandom } from './random-inputs'
import { GraphBuilder, makeValueInfo } from '../onnx/graph-builder'
import { DataType, type ModelProto } from '../onnx/onnx-types'

export function textLineModel(options: { readonly seed?: number; readonly classes?: number } = {}): ModelProto {
  const random = seededRandom(options.seed ?? 7)
  const classes = options.classes ?? 37
  const g = new GraphBuilder()
  g.claimName('x')
  g.claimName('logits')
  const weights = (dims: readonly number[], fanIn: number): Float32Array =>
    Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (random() * 2 - 1) * Math.sqrt(3 / fanIn))
  const conv = (x: string, cin: number, cout: number, stride: number, name: string): string => {
    const w = g.initializer(`${name}.weight`, [cout, cin, 3, 3], weights([cout, cin, 3, 3], cin * 9))
    const b = g.initializer(`${name}.bias`, [cout], new Float32Array(cout))
    const y = g.node('Conv', [x, w, b], { name: `${name}/Conv`, attributes: { kernel_shape: [3, 3], strides: [stride, stride], pads: [1, 1, 1, 1] } })
    return g.node('Relu', [y], { name: `${name}/Relu` })
  }
  const features = conv(conv('x', 3, 16, 1, 'conv1'), 16, 32, 2, 'conv2')
  // [batch, 32, H/2, W/2] → mean over the height → [batch, 32, W/2] → a step per column: [batch, W/2, 32].
  const pooled = g.node('ReduceMean', [features], { name: 'pool/ReduceMean', attributes: { axes: [2], keepdims: 0 } })
  const steps = g.node('Transpose', [pooled], { name: 'pool/Transpose', attributes: { perm: [0, 2, 1] } })
  const head = g.initializer('head.weight', [32, classes], weights([32, classes], 32))
  const scores = g.node('MatMul', [steps, head], { name: 'head/MatMul' })
  g.node('Softmax', [scores], { name: 'head/Softmax', attributes: { axis: -1 }, outputs: ['logits'] })
  return g.model({
    graphName: 'text_line',
    inputs: [makeValueInfo('x', DataType.FLOAT, ['batch', 3, 'height', 'width'])],
    outputs: [makeValueInfo('logits', DataType.FLOAT, ['batch', 'steps', classes])],
    opset: 13,
    producerName: 'slipway',
    producerVersion: 'test',
  })
}
