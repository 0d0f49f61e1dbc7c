import { describe, expect, it } from 'vitest'
import type { GraphProto, NodeProto } from './onnx-types'
import { DataType } from './onnx-types'
import { inferShapes } from './shape-inference'
import { makeTensor } from './tensor-data'

const input = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
})
const node = (opType: string, inputs: string[], outputs: string[], attribute: NodeProto['attribute'] = []): NodeProto => ({
  opType,
  input: inputs,
  output: outputs,
  attribute,
})
const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values })
const int = (name: string, value: number) => ({ name, type: 2, i: value })

describe('inferShapes', () => {
  it("folds PyTorch's Shape -> Gather -> Unsqueeze -> Concat -> Reshape flatten", () => {
    const graph: GraphProto = {
      input: [input('x', ['batch', 16, 2, 2])],
      initializer: [
        makeTensor('zero', [], new BigInt64Array([0n])),
        makeTensor('minus1', [1], new BigInt64Array([-1n])),
      ],
      node: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'zero'], ['b'], [int('axis', 0)]),
        node('Unsqueeze', ['b'], ['b1'], [ints('axes', [0])]),
        node('Concat', ['b1', 'minus1'], ['target'], [int('axis', 0)]),
        node('Reshape', ['x', 'target'], ['y']),
      ],
    }
    expect(inferShapes(graph).get('target')?.value).toEqual(['batch', -1])
    expect(inferShapes(graph, new Map([['x', [3, 16, 2, 2]]])).get('y')?.shape).toEqual([3, 64])
  })

  it('sizes Conv, ceil-mode pooling, ConvTranspose and broadcast MatMul', () => {
    const graph: GraphProto = {
      input: [input('x', [1, 3, 32, 32]), input('a', [2, 1, 5, 7])],
      initializer: [
        { name: 'w', dims: [8, 3, 3, 3], dataType: DataType.FLOAT },
        { name: 'wt', dims: [8, 4, 2, 2], dataType: DataType.FLOAT },
        { name: 'm', dims: [3, 7, 9], dataType: DataType.FLOAT },
      ],
      node: [
        node('Conv', ['x', 'w'], ['c'], [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])]),
        node('MaxPool', ['c'], ['p'], [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), int('ceil_mode', 1)]),
        node('ConvTranspose', ['p', 'wt'], ['t'], [ints('strides', [2, 2])]),
        node('MatMul', ['a', 'm'], ['mm']),
      ],
    }
    const shapes = inferShapes(graph)
    expect(shapes.get('c')?.shape).toEqual([1, 8, 16, 16])
    expect(shapes.get('p')?.shape).toEqual([1, 8, 8, 8])
    expect(shapes.get('t')?.shape).toEqual([1, 4, 16, 16])
    expect(shapes.get('mm')?.shape).toEqual([2, 3, 5, 9])
  })

  it('leaves unknown ops unknown, falling back on declared value_info', () => {
    const graph: GraphProto = {
      input: [input('x', [1, 4])],
      valueInfo: [input('z', [1, 'n'])],
      node: [node('Mystery', ['x'], ['y']), node('Mystery', ['x'], ['z'])],
    }
    const shapes = inferShapes(graph)
    expect(shapes.has('y')).toBe(false)
    expect(shapes.get('z')?.shape).toEqual([1, 'n'])
  })

  it('reads outer values inside If branches, and gives the If what both branches agree on', () => {
    const branch = (op: string, extra: NodeProto[] = []): GraphProto => ({
      node: [node(op, ['x'], ['y']), ...extra],
      output: [{ name: extra.length > 0 ? 'z' : 'y' }],
    })
    const ifNode = (then: GraphProto, otherwise: GraphProto, cond = 'c'): NodeProto =>
      node('If', [cond], ['out'], [
        { name: 'then_branch', type: 5, g: then },
        { name: 'else_branch', type: 5, g: otherwise },
      ])
    const graph = (n: NodeProto): GraphProto => ({
      input: [input('x', ['batch', 3, 8]), { name: 'c', type: { tensorType: { elemType: DataType.BOOL, shape: { dim: [] } } } }],
      initializer: [makeTensor('yes', [], new BigInt64Array([1n]))],
      node: [n],
    })
    // A branch reads x from the enclosing graph: alone, it knows nothing of its shape.
    expect(inferShapes(branch('Relu')).get('y')).toBeUndefined()
    expect(inferShapes(branch('Relu'), new Map(), new Map([['x', { shape: [2, 3] }]])).get('y')).toEqual({ shape: [2, 3] })

    expect(inferShapes(graph(ifNode(branch('Relu'), branch('Sigmoid')))).get('out')).toEqual({ shape: ['batch', 3, 8] })
    // Branches that disagree on a size leave it unknown; on the rank, the whole shape.
    const pooled = branch('Relu', [node('ReduceMean', ['y'], ['z'], [ints('axes', [2])])])
    expect(inferShapes(graph(ifNode(branch('Relu'), pooled))).get('out')).toEqual({ shape: ['batch', 3, '?'] })
    const squeezed = branch('Relu', [node('ReduceMean', ['y'], ['z'], [ints('axes', [2]), int('keepdims', 0)])])
    expect(inferShapes(graph(ifNode(branch('Relu'), squeezed))).get('out')).toBeUndefined()
    // A condition folded to a constant takes its branch.
    expect(inferShapes(graph(ifNode(branch('Relu'), squeezed, 'yes'))).get('out')).toEqual({ shape: ['batch', 3, 8] })
  })
})
