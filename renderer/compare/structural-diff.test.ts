import { describe, expect, it } from 'vitest'
import type { Inspection } from '../../preload/api'
import { prunedLineage, quantizedLineage } from './lineage-fixtures'
import { sqnrBand, structuralDiff } from './structural-diff'

function inspection(opHistogram: Record<string, number>, params: number): Inspection {
  return {
    format: 'onnx', inputs: [], outputs: [], opsets: {}, nodeCount: 0, opHistogram,
    parameters: { count: params, bytes: params * 4, byDtype: {} }, sizeBytes: 0, macs: null, warnings: [],
  }
}

describe('structural diff', () => {
  it('groups a static int8 variant by op: quantized, fused or removed, added; worst error per op', () => {
    const parent = inspection({ Conv: 2, Relu: 2, Gemm: 1, BatchNormalization: 2 }, 1000)
    const variant = inspection({ Conv: 2, Relu: 2, Gemm: 1, QuantizeLinear: 5, DequantizeLinear: 9 }, 1000)
    const summary = {
      converted: { Conv: 2, Gemm: 1 },
      errorReport: [
        { tensor: 'a', node: 'conv1', op: 'Conv', sqnrDb: 35, qdqSqnrDb: 40 },
        { tensor: 'b', node: 'conv2', op: 'Conv', sqnrDb: 18, qdqSqnrDb: 30 },
      ],
    }
    const diff = structuralDiff(parent, variant, quantizedLineage('parent', summary))
    expect(diff.map((c) => [c.op, c.kind])).toEqual([
      ['Conv', 'quantized'],
      ['Gemm', 'quantized'],
      ['BatchNormalization', 'removed'],
      ['DequantizeLinear', 'added'],
      ['QuantizeLinear', 'added'],
      ['Relu', 'unchanged'],
    ])
    const conv = diff[0]
    expect(conv?.worstSqnrDb).toBe(18)
    expect(conv?.errors.map((e) => e.node)).toEqual(['conv2', 'conv1'])
    expect(sqnrBand(conv?.worstSqnrDb)).toBe('poor')
  })

  it('marks weight layers of a structured prune as pruned when parameters went down', () => {
    const diff = structuralDiff(inspection({ Conv: 2, Relu: 2 }, 1000), inspection({ Conv: 2, Relu: 2 }, 600), prunedLineage('parent'))
    expect(diff.map((c) => [c.op, c.kind])).toEqual([
      ['Conv', 'pruned'],
      ['Relu', 'unchanged'],
    ])
  })
})
