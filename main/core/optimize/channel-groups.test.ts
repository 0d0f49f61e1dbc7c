import { describe, expect, it } from 'vitest'
import { GraphBuilder, makeValueInfo } from '../onnx/graph-builder'
import { indexGraph } from '../onnx/graph-index'
import { DataType, type ModelProto } from '../onnx/onnx-types'
import { analyzeChannels, type ChannelAnalysis } from './channel-groups'
import { resnetStyleModel } from './prune-sample-models'

function analyze(model: ModelProto, keep = new Map<string, string>()): ChannelAnalysis {
  const graph = model.graph ?? {}
  return analyzeChannels(graph, indexGraph(graph), keep)
}

function groupNames(analysis: ChannelAnalysis): string[][] {
  return analysis.groups.map((g) => g.sources.map((s) => s.nodeName).sort())
}

/** input → Conv a (8) ─┬→ Relu → Concat → Conv c → out
 *                     └→ Conv b (4) ─┘                       (plus one op given by `tail` on c's input) */
function concatModel(tail?: string): ModelProto {
  const g = new GraphBuilder()
  g.claimName('x')
  g.claimName('y')
  const w = (name: string, dims: number[]): string => g.initializer(name, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.1))
  const a = g.node('Conv', ['x', w('a.w', [8, 3, 1, 1])], { name: 'a' })
  const ra = g.node('Relu', [a], { name: 'relu' })
  const b = g.node('Conv', [ra, w('b.w', [4, 8, 3, 3]), w('b.bias', [4])], { name: 'b', attributes: { pads: [1, 1, 1, 1] } })
  let cat = g.node('Concat', [ra, b], { name: 'cat', attributes: { axis: 1 } })
  if (tail) cat = g.node(tail, [cat], { name: 'tail' })
  g.node('Conv', [cat, w('c.w', [2, 12, 1, 1])], { name: 'c', outputs: ['y'] })
  return g.model({
    graphName: 'cat',
    inputs: [makeValueInfo('x', DataType.FLOAT, [1, 3, 4, 4])],
    outputs: [makeValueInfo('y', DataType.FLOAT, [1, 2, 4, 4])],
    opset: 13,
    producerName: 'test',
    producerVersion: '0',
  })
}

describe('analyzeChannels', () => {
  it('ties the sources of residual Adds into one group and keeps inner convs apart', () => {
    const analysis = analyze(resnetStyleModel({ width: 8, stages: 2, blocksPerStage: 2, imageSize: 8 }))
    const groups = groupNames(analysis)
    expect(groups).toContainEqual(['stage0.block0.conv2/Conv', 'stage0.block1.conv2/Conv', 'stem/Conv'])
    expect(groups).toContainEqual(['stage1.block0.conv2/Conv', 'stage1.block0.downsample/Conv', 'stage1.block1.conv2/Conv'])
    expect(groups).toContainEqual(['stage0.block0.conv1/Conv'])
    expect(analysis.groups.find((g) => g.sources.some((s) => s.nodeName === 'stem/Conv'))?.channels).toBe(8)
    const head = analysis.groups.find((g) => g.sources.some((s) => s.nodeName === 'head/Gemm'))
    expect(head?.blockedBy).toEqual(["reaches the model output 'logits'"])
    expect(analysis.groups.filter((g) => g.blockedBy.length === 0)).toHaveLength(groups.length - 1)
  })

  it('blocks the whole group when one of its layers is kept', () => {
    const analysis = analyze(resnetStyleModel({ width: 8, stages: 1, blocksPerStage: 2, imageSize: 8 }), new Map([['stem/Conv', 'the first layer']]))
    const stem = analysis.groups.find((g) => g.sources.some((s) => s.nodeName === 'stem/Conv'))
    expect(stem?.sources).toHaveLength(3)
    expect(stem?.blockedBy).toEqual(["Conv 'stem/Conv' is the first layer"])
  })

  it('slices every BatchNormalization parameter and the Gemm after Flatten by blocks of features', () => {
    const analysis = analyze(resnetStyleModel({ width: 8, stages: 1, blocksPerStage: 1, imageSize: 8 }))
    const bn = analysis.edits.filter((e) => e.node.name === 'stage0.block0.conv1/BatchNormalization')
    expect(bn.map((e) => (e.kind === 'slice' ? e.input : -1)).sort()).toEqual([1, 2, 3, 4])
    const gemm = analysis.edits.find((e) => e.node.name === 'head/Gemm' && e.kind === 'slice' && e.axis === 1)
    expect(gemm).toMatchObject({ kind: 'slice', repeat: 1 })
  })

  it('follows Concat: the consumer reads two segments from two sources', () => {
    const analysis = analyze(concatModel())
    const consumer = analysis.edits.find((e) => e.node.name === 'c' && e.kind === 'slice' && e.axis === 1)
    expect(consumer?.segments.map((s) => s.count)).toEqual([8, 4])
    expect(analysis.groups.every((g) => g.blockedBy.length === 0 || g.sources[0]?.nodeName === 'c')).toBe(true)
  })

  it('leaves channels intact, naming the op, when they feed something it cannot follow', () => {
    const analysis = analyze(concatModel('LRN'))
    const a = analysis.groups.find((g) => g.sources[0]?.nodeName === 'a')
    expect(a?.blockedBy).toEqual(["feeds LRN 'tail', which Slipway cannot prune through"])
  })
})
