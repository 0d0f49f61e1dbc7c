import { describe, expect, it } from 'vitest'
import { computingOp, indexGraph, storedTensor, withoutUnusedValues } from './graph-index'
import type { GraphProto } from './onnx-types'
import { makeTensor } from './tensor-data'

const weight = makeTensor('w', [2], Float32Array.of(1, 2))
const graph: GraphProto = {
  node: [
    { opType: 'Identity', input: ['w'], output: ['w_shared'], name: 'share' },
    { opType: 'ConstantOfShape', input: ['shape'], output: ['computed'], name: 'fill' },
    { opType: 'Mul', input: ['x', 'w_shared'], output: ['y'], name: 'mul' },
    { opType: 'Add', input: ['x', 'computed'], output: ['dead'], name: 'unused' },
  ],
  initializer: [weight, makeTensor('shape', [1], BigInt64Array.of(2n)), makeTensor('orphan', [1], Float32Array.of(0))],
  input: [{ name: 'x' }, { name: 'orphan' }],
  output: [{ name: 'y' }],
}

describe('graph index', () => {
  it('resolves stored tensors through Identity and names what computes the others', () => {
    const index = indexGraph(graph)
    expect(storedTensor(index, 'w_shared')).toBe(weight)
    expect(storedTensor(index, 'computed')).toBeUndefined()
    expect(computingOp(index, 'computed')).toBe('ConstantOfShape')
    expect(index.consumers.get('x')?.map((u) => u.node.name)).toEqual(['mul', 'unused'])
  })

  it('drops nodes and initializers nothing reads, and initializer-backed inputs with them', () => {
    const pruned = withoutUnusedValues(graph)
    expect(pruned.node?.map((n) => n.name)).toEqual(['share', 'mul'])
    expect(pruned.initializer?.map((t) => t.name)).toEqual(['w'])
    expect(pruned.input?.map((i) => i.name)).toEqual(['x'])
  })
})
