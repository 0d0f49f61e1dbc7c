// Generated ONNX models for the graph view's bench: a stack of residual MLP blocks named by scope
// (`/layers.12/fc1/MatMul`), ten nodes each, with small float weights, so node count is what grows.
import { GraphBuilder, makeValueInfo } from '../main/core/onnx/graph-builder'
import { DataType, type ModelProto } from '../main/core/onnx/onnx-types'

const WIDTH = 16

function weights(seed: number, n: number): Float32Array {
  const out = new Float32Array(n)
  let s = seed
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648
    out[i] = s / 2147483648 - 0.5
  }
  return out
}

export function residualStack(nodes: number): ModelProto {
  const b = new GraphBuilder()
  b.claimName('x')
  let x = 'x'
  const blocks = Math.ceil(nodes / 10)
  for (let i = 0; i < blocks; i++) {
    const p = `/layers.${i}`
    const w1 = b.initializer(`${p}.fc1.weight`, [WIDTH, WIDTH], weights(i * 2 + 1, WIDTH * WIDTH))
    const w2 = b.initializer(`${p}.fc2.weight`, [WIDTH, WIDTH], weights(i * 2 + 2, WIDTH * WIDTH))
    const bias = b.initializer(`${p}.fc1.bias`, [WIDTH], weights(i + 7, WIDTH))
    let h = b.node('MatMul', [x, w1], { name: `${p}/fc1/MatMul` })
    h = b.node('Add', [h, bias], { name: `${p}/fc1/Add` })
    h = b.node('Relu', [h], { name: `${p}/act/Relu` })
    h = b.node('MatMul', [h, w2], { name: `${p}/fc2/MatMul` })
    h = b.node('Add', [h, x], { name: `${p}/residual/Add` })
    const mean = b.node('ReduceMean', [h], { name: `${p}/norm/ReduceMean`, attributes: { axes: [-1] } })
    const centered = b.node('Sub', [h, mean], { name: `${p}/norm/Sub` })
    const sq = b.node('Mul', [centered, centered], { name: `${p}/norm/Mul` })
    const variance = b.node('ReduceMean', [sq], { name: `${p}/norm/ReduceMean_1`, attributes: { axes: [-1] } })
    x = b.node('Add', [centered, variance], { name: `${p}/norm/Add` })
  }
  b.node('Identity', [x], { name: 'output', outputs: ['y'] })
  return b.model({
    graphName: 'residual_stack',
    inputs: [makeValueInfo('x', DataType.FLOAT, ['batch', WIDTH])],
    outputs: [makeValueInfo('y', DataType.FLOAT, ['batch', WIDTH])],
    opset: 13,
    producerName: 'slipway bench',
    producerVersion: '1',
  })
}
