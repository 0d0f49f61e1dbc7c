import { describe, expect, it } from 'vitest'
import type { GraphNode, ModelGraph } from '../../preload/api'
import { layoutView } from './layout'
import { diffOverlay, pruningOverlay, quantizationOverlay, timeOverlay } from './overlays'
import { searchGraph } from './search'
import { BLOCK_MAX, blockOrder, graphView, OPEN_ALL_LIMIT } from './view-model'

const node = (id: string, op: string, name: string, inputs: string[], outputs: string[], extra: Partial<GraphNode> = {}): GraphNode => ({ id, op, name, inputs, outputs, attributes: [], ...extra })

/** x → n nodes in a chain named /layers.i/…, each reading a weight w{i}. */
function chain(n: number): ModelGraph {
  const nodes = Array.from({ length: n }, (_, i) => node(String(i), i % 2 ? 'Relu' : 'MatMul', `/layers.${Math.floor(i / 10)}/op${i}`, [i === 0 ? 'x' : `t${i - 1}`, `w${i}`], [`t${i}`]))
  const tensors: ModelGraph['tensors'] = Object.fromEntries([
    ['x', { name: 'x', dtype: 'float32', shape: [1, 4] }],
    ...nodes.map((_, i) => [`w${i}`, { name: `w${i}`, dtype: 'float32', shape: [4, 4], weight: { shape: [4, 4], dtype: 'float32', count: 16, min: 0, max: 1, mean: 0.5, std: 0.1, sparsity: 0, histogram: [16] } }]),
    ...nodes.map((_, i) => [`t${i}`, { name: `t${i}`, dtype: 'float32', shape: [1, 4] }]),
  ])
  return { format: 'onnx', main: { attribute: '', nodes, inputs: ['x'], outputs: [`t${n - 1}`] }, tensors, nodeCount: n }
}

const closedState = { toggledBlocks: new Set<string>(), openNodes: new Set<string>() }

describe('graph view', () => {
  it('lays out a small graph whole, in blocks, with every node placed and weights left out of the edges', () => {
    const graph = chain(120)
    const view = graphView(graph, closedState)
    expect(view.blocks.every((b) => b.open && b.size <= BLOCK_MAX)).toBe(true)
    expect(view.blocks.reduce((s, b) => s + b.size, 0)).toBe(120)
    const layout = layoutView(view)
    // 120 ops, the input and the output.
    expect(layout.nodes).toHaveLength(122)
    expect(layout.edges.some((e) => e.edge.tensor.startsWith('w'))).toBe(false)
    // Consecutive blocks are stacked: the chain goes downwards.
    const y = (id: string): number => layout.nodes.find((n) => n.node.id === id)?.y ?? NaN
    expect(y('110')).toBeGreaterThan(y('10'))
  })

  it('puts nodes computed from weights alone just before their first consumer', () => {
    const graph = chain(4)
    const dq = node('dq', 'DequantizeLinear', 'w_dq', ['w0', 'w1'], ['wd'])
    const late = { ...graph, main: { ...graph.main, nodes: [dq, ...graph.main.nodes.slice(0, 2), { ...(graph.main.nodes[2] as GraphNode), inputs: ['t1', 'wd'] }, ...graph.main.nodes.slice(3)] } }
    expect(blockOrder(late).map((n) => n.id)).toEqual(['0', '1', 'dq', '2', '3'])
  })

  it('opens a model past the limit with its blocks closed, and opens the block asked for', () => {
    const graph = { ...chain(600), nodeCount: OPEN_ALL_LIMIT + 1 }
    const view = graphView(graph, closedState)
    expect(view.blocks.every((b) => !b.open)).toBe(true)
    expect(layoutView(view).nodes.length).toBeLessThan(view.blocks.length + 3)
    const opened = graphView(graph, { ...closedState, toggledBlocks: new Set([view.blocks[2]?.id ?? '']) })
    expect(opened.blocks.filter((b) => b.open).map((b) => b.id)).toEqual([view.blocks[2]?.id])
    // Edges into and out of the open block come from and go to the closed blocks' boxes.
    expect(opened.crossEdges.some((e) => e.to === opened.blocks[2]?.nodes[0]?.id && e.from === opened.blocks[1]?.id)).toBe(true)
  })

  it('opens an If node in place: its branches laid out inside its box', () => {
    const branch = (attr: string): ModelGraph['main'] => ({ attribute: attr, nodes: [node(`1/${attr}/0`, 'Neg', `${attr}_neg`, ['t0'], [`${attr}_out`]), node(`1/${attr}/1`, 'Abs', `${attr}_abs`, [`${attr}_out`], [`${attr}_y`])], inputs: [], outputs: [`${attr}_y`] })
    const graph: ModelGraph = {
      format: 'onnx',
      main: { attribute: '', nodes: [node('0', 'Relu', 'r', ['x'], ['t0']), node('1', 'If', 'cond', ['c'], ['y'], { subgraphs: [branch('then_branch'), branch('else_branch')] })], inputs: ['x', 'c'], outputs: ['y'] },
      tensors: {},
      nodeCount: 6,
    }
    const layout = layoutView(graphView(graph, { ...closedState, openNodes: new Set(['1']) }))
    const box = layout.nodes.find((n) => n.node.id === '1')
    const inner = layout.nodes.filter((n) => n.node.id.startsWith('1/'))
    expect(inner).toHaveLength(4)
    for (const n of inner) {
      expect(n.x).toBeGreaterThanOrEqual(box?.x ?? Infinity)
      expect(n.y + n.height).toBeLessThanOrEqual((box?.y ?? 0) + (box?.height ?? 0))
    }
    // The branch reads t0 from outside: a cross edge from the Relu.
    expect(layout.edges.some((e) => e.edge.from === '0' && e.edge.to === '1/then_branch/0')).toBe(true)
    expect(searchGraph(graph, 'else_branch_abs', 5)[0]?.node.id).toBe('1/else_branch/1')
    expect(searchGraph(graph, 'then_branch_out', 5).map((h) => h.tensor)).toContain('then_branch_out')
  })
})

describe('overlays', () => {
  const qdq: ModelGraph = {
    format: 'onnx',
    main: {
      attribute: '',
      nodes: [
        node('0', 'QuantizeLinear', 'x_q', ['x', 's', 'z'], ['xq']),
        node('1', 'DequantizeLinear', 'x_dq', ['xq', 's', 'z'], ['xdq']),
        node('2', 'Conv', 'conv1', ['xdq', 'w'], ['c1']),
        node('3', 'Conv', 'conv2', ['c1', 'w2'], ['c2']),
        node('4', 'Softmax', '', ['c2'], ['y']),
      ],
      inputs: ['x'],
      outputs: ['y'],
    },
    tensors: { xq: { name: 'xq', dtype: 'uint8', shape: [1] }, c1: { name: 'c1', dtype: 'float32', shape: [1] }, c2: { name: 'c2', dtype: 'float32', shape: [1] } },
    nodeCount: 5,
  }

  it('quantization: precision from the graph, kept-float reasons and SQNR bands from the summary', () => {
    const o = quantizationOverlay(qdq, {
      recipe: 'static int8',
      leftAsIs: [{ node: 'conv2', op: 'Conv', reason: 'excluded by the recipe' }],
      errorReport: [{ tensor: 'c1', node: 'conv1', op: 'Conv', sqnrDb: 14.2, qdqSqnrDb: 20 }],
    })
    expect(o.marks.get('0')?.tone).toBe('tone-qdq')
    expect(o.marks.get('2')?.tone).toBe('sqnr-poor')
    expect(o.marks.get('2')?.facts.find((f) => f.label === 'runs in')?.value).toBe('int8')
    expect(o.marks.get('3')?.tone).toBe('tone-kept')
    expect(o.marks.get('3')?.facts.find((f) => f.label === 'kept float')?.value).toMatch(/excluded/)
  })

  it('pruning: channels before → after and the intact layers with their reason', () => {
    const o = pruningOverlay(qdq, { method: 'structured', layers: [{ node: 'conv1', channelsBefore: 32, channelsAfter: 16 }], intact: [{ nodes: ['conv2'], reasons: ['feeds the output'] }] })
    expect(o.marks.get('2')).toMatchObject({ tone: 'tone-pruned', badge: '32→16' })
    expect(o.marks.get('3')?.facts[0]?.value).toBe('feeds the output')
  })

  it('diff: the parent and the variant in one graph, added, removed and changed nodes marked', () => {
    const parent: ModelGraph = { ...qdq, main: { ...qdq.main, nodes: [node('0', 'Conv', 'conv1', ['x', 'w'], ['c1']), node('1', 'Gelu', 'old', ['c1'], ['g']), node('2', 'Conv', 'conv2', ['g', 'w2'], ['c2'])] } }
    const variant: ModelGraph = { ...qdq, main: { ...qdq.main, nodes: [node('0', 'Conv', 'conv1', ['x', 'w'], ['c1']), node('1', 'Relu', 'new', ['c1'], ['g']), node('2', 'Conv', 'conv2', ['g', 'w2'], ['c2'], { attributes: [{ name: 'group', value: '2' }] })] } }
    const { graph, overlay } = diffOverlay(variant, parent)
    expect(graph.main.nodes.map((n) => n.name)).toEqual(['conv1', 'old', 'new', 'conv2'])
    expect(overlay.marks.get('parent:1')?.tone).toBe('tone-removed')
    expect(overlay.marks.get('1')?.tone).toBe('tone-added')
    expect(overlay.marks.get('2')?.tone).toBe('tone-changed')
    expect(overlay.marks.has('0')).toBe(false)
  })

  it('time: per-node milliseconds by node name, unnamed nodes by op and first output', () => {
    const o = timeOverlay(qdq, new Map([['conv1', 9], ['Softmax(y)', 1]]))
    expect(o.marks.get('2')).toMatchObject({ tone: 'tone-hot', badge: '9.00 ms' })
    expect(o.marks.get('4')?.facts[0]?.value).toMatch(/10\.0% of the run/)
  })
})
