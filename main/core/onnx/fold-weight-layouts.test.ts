import { describe, expect, it } from 'vitest'
import { foldWeightLayouts, transposeArray } from './fold-weight-layouts'
import { makeNode } from './graph-edit'
import type { ModelProto } from './onnx-types'
import { makeTensor, tensorToArray } from './tensor-data'

describe('folding Transpose/Reshape of stored weights', () => {
  it('transposes row-major data by a permutation', () => {
    // [2,3] → [3,2]
    expect(Array.from(transposeArray(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0]))).toEqual([1, 4, 2, 5, 3, 6])
    // [2,2,2] with the last two axes swapped
    expect(Array.from(transposeArray(Int8Array.of(0, 1, 2, 3, 4, 5, 6, 7), [2, 2, 2], [0, 2, 1]))).toEqual([0, 2, 1, 3, 4, 6, 5, 7])
  })

  it('stores the weight a MatMul reads through Transpose and Reshape, and drops the nodes', () => {
    const model: ModelProto = {
      graph: {
        node: [
          makeNode('Transpose', ['w'], ['wt'], { attrs: { perm: [1, 0] } }),
          makeNode('Reshape', ['wt', 'shape'], ['wr']),
          makeNode('MatMul', ['x', 'wr'], ['y']),
        ],
        initializer: [makeTensor('w', [2, 3], Float32Array.of(1, 2, 3, 4, 5, 6)), makeTensor('shape', [2], BigInt64Array.of(3n, -1n))],
        input: [{ name: 'x' }],
        output: [{ name: 'y' }],
      },
    }
    const graph = foldWeightLayouts(model).graph ?? {}
    expect(graph.node?.map((n) => n.opType)).toEqual(['MatMul'])
    const w = graph.initializer?.find((t) => t.name === 'wr')
    expect(w?.dims).toEqual([3, 2])
    expect(Array.from(tensorToArray(w ?? {}) as Float32Array)).toEqual([1, 4, 2, 5, 3, 6])
    expect(graph.initializer?.map((t) => t.name)).toEqual(['wr'])
  })
})
