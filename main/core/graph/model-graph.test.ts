import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { silentJobContext } from '../jobs/job-context'
import { modelGraph } from './graph-task'

const fixtures = join(import.meta.dirname, '../../../test-fixtures')

describe('modelGraph', () => {
  it('gives an ONNX model its nodes, inferred shapes and weight statistics', async () => {
    const graph = await modelGraph({ path: join(fixtures, 'onnx/digits_cnn.onnx'), format: 'onnx' }, silentJobContext())
    const conv = graph.main.nodes.find((n) => n.op === 'Conv')
    expect(conv).toBeDefined()
    const weight = graph.tensors[conv?.inputs[1] ?? '']?.weight
    expect(weight?.shape.length).toBe(4)
    expect(weight?.histogram.reduce((a, b) => a + b, 0)).toBe(weight?.count)
    expect(weight && weight.min < 0 && weight.max > 0).toBe(true)
    // Shapes between nodes come from shape inference: the Conv's output is [batch, C, 8, 8]-like, 4-d.
    expect(graph.tensors[conv?.outputs[0] ?? '']?.shape).toHaveLength(4)
    expect(graph.tensors[conv?.outputs[0] ?? '']?.dtype).toBe('float32')
    expect(conv?.attributes.some((a) => a.name === 'kernel_shape')).toBe(true)
  })

  it('opens the If branches of a real model as bodies of their node', async () => {
    const graph = await modelGraph({ path: join(fixtures, 'onnx/silero_vad_v5.onnx'), format: 'onnx' }, silentJobContext())
    const ifNode = graph.main.nodes.find((n) => n.op === 'If')
    expect(ifNode?.subgraphs?.map((s) => s.attribute).sort()).toEqual(['else_branch', 'then_branch'])
    const inner = ifNode?.subgraphs?.[0]?.nodes ?? []
    expect(inner.length).toBeGreaterThan(5)
    expect(inner[0]?.id.startsWith(`${ifNode?.id}/`)).toBe(true)
    expect(graph.nodeCount).toBeGreaterThan(graph.main.nodes.length + inner.length)
    // The If's outputs take the shapes its branches agree on (the speech probability per row, and the state).
    expect(ifNode?.outputs.map((o) => graph.tensors[o]?.shape)).toEqual([
      ['?', 1],
      ['?', '?', '?'],
    ])
    // The weights live inside the branches (Constant nodes), and they have statistics.
    expect(Object.values(graph.tensors).filter((t) => t.weight && t.weight.count > 1000).length).toBeGreaterThan(3)
  })

  it('reads TF.js layers and graph models with their weights', async () => {
    const layers = await modelGraph({ path: join(fixtures, 'tfjs/digits_cnn_layers/model.json'), format: 'tfjs-layers' }, silentJobContext())
    const dense = layers.main.nodes.findLast((n) => n.op === 'Dense')
    expect(dense?.inputs.some((i) => layers.tensors[i]?.weight)).toBe(true)
    expect(layers.tensors[dense?.outputs[0] ?? '']?.shape?.at(-1)).toBe(10)
    const graphModel = await modelGraph({ path: join(fixtures, 'tfjs/nsfw_mobilenet_v2_graph/model.json'), format: 'tfjs-graph' }, silentJobContext())
    expect(graphModel.nodeCount).toBeGreaterThan(100)
    const conv = graphModel.main.nodes.find((n) => n.op.startsWith('Conv2D') || n.op === '_FusedConv2D')
    expect(conv?.inputs.some((i) => graphModel.tensors[i]?.weight?.dtype === 'uint8')).toBe(true)
  })
})
