// A variant's profile next to its parent's, node by node (matched by name: recipes keep the names of the
// nodes they rewrite), with a sentence for each big change that says what in the variant's graph explains
// it. Pure: tested directly.
import type { MeanSpread, ProfileComparison, ProfileNode, ProfileNodeChange, ProfileResult } from '../../../preload/api'
import { allNodes, graphsWithin } from '../onnx/graph-walk'
import type { ModelProto, NodeProto, TensorProto } from '../onnx/onnx-types'
import { toNumber } from '../onnx/codec'
import { percentile, rankSumZ } from '../bench/statistics'
import { nodeKey } from './kernel-nodes'
import type { ProfileTimes } from './profile-stats'

/** A ratio at least this far from 1 (either way) is a big change worth a sentence. */
export const bigChange = 1.5

const float16 = 10
const weightedOps = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm', 'Attention', 'LSTM', 'GRU', 'RNN'])
const quantizedKernel = /^(QLinear|Q[A-Z])|Integer$|MatMulNBits|DynamicQuantize/

/** What the notes read of one model's graph: nodes, producers and stored tensors by name, across subgraphs. */
interface GraphFacts {
  readonly nodes: ReadonlyMap<string, NodeProto>
  readonly producer: ReadonlyMap<string, NodeProto>
  readonly stored: ReadonlyMap<string, TensorProto>
  readonly quantized: boolean
}

export function graphFacts(model: ModelProto): GraphFacts {
  const all = allNodes(model)
  const producer = new Map<string, NodeProto>()
  for (const node of all) for (const out of node.output ?? []) if (out) producer.set(out, node)
  const stored = new Map<string, TensorProto>()
  if (model.graph) for (const graph of graphsWithin(model.graph)) for (const t of graph.initializer ?? []) if (t.name) stored.set(t.name, t)
  return {
    nodes: new Map(all.map((n) => [nodeKey(n), n])),
    producer,
    stored,
    quantized: all.some((n) => /QuantizeLinear|DequantizeLinear|Integer$|MatMulNBits|^QLinear/.test(n.opType ?? '')),
  }
}

/** The stored tensor a node reads as its weight (input 1), through a DequantizeLinear when quantized. */
function weightOf(facts: GraphFacts, node: NodeProto): TensorProto | undefined {
  const name = node.input?.[1] ?? ''
  const dq = facts.producer.get(name)
  return facts.stored.get(dq?.opType === 'DequantizeLinear' ? (dq.input?.[0] ?? '') : name)
}

const dimsText = (t: TensorProto): string => (t.dims ?? []).map(toNumber).join('×')

/** Why a node's time changed, read from the two graphs; undefined when nothing about the node itself changed. */
export function changeReason(
  name: string,
  kernels: { readonly variant?: string; readonly parent?: string },
  variant: GraphFacts,
  parent: GraphFacts,
): string | undefined {
  const node = variant.nodes.get(name)
  const before = parent.nodes.get(name)
  if (!node) return undefined
  const kernel = kernels.variant ?? node.opType ?? ''
  const parentKernel = kernels.parent ?? before?.opType ?? ''
  if (quantizedKernel.test(kernel)) return `it runs as ${kernel}, in integer arithmetic`
  if (before && before.opType !== node.opType) return `it became ${node.opType} (was ${before.opType})`
  if (before && kernel !== parentKernel) return `ONNX Runtime runs it as ${kernel} (was ${parentKernel})`
  const weight = weightOf(variant, node)
  const oldWeight = before && weightOf(parent, before)
  if (weight && oldWeight && dimsText(weight) !== dimsText(oldWeight)) return `its weights went from ${dimsText(oldWeight)} to ${dimsText(weight)}`
  if (weight?.dataType === float16 && oldWeight?.dataType !== float16) return 'its weights are float16, which ONNX Runtime’s CPU kernels mostly compute through casts'
  if (variant.quantized && weightedOps.has(node.opType ?? '')) {
    if (variant.producer.get(node.input?.[0] ?? '')?.opType !== 'DequantizeLinear') return 'its input is not quantized'
    return 'it still runs in float: ONNX Runtime did not fuse its DequantizeLinear inputs into an integer kernel'
  }
  return undefined
}

/** A variant's and its parent's times differ beyond chance: the rank-sum test over their runs, |z| > 2. */
export const significantZ = 2

export function changeSentence(opType: string, ratio: number, parentName: string, reason: string | undefined): string {
  const how = ratio >= 1 ? `${ratio.toFixed(1)}× slower` : `${(1 / ratio).toFixed(1)}× faster`
  return `this ${opType} went ${how} than in ${parentName}: ${reason ?? 'the node itself is unchanged, so the difference comes from around it'}`
}

export type Profiled = Pick<ProfileResult, 'nodes' | 'runMs' | 'model' | 'modelId'> & Pick<ProfileTimes, 'perRunMs'>

export function compareProfiles(variant: Profiled, parent: Profiled, variantModel: ModelProto, parentModel: ModelProto): ProfileComparison {
  const variantFacts = graphFacts(variantModel)
  const parentFacts = graphFacts(parentModel)
  const before = new Map(parent.nodes.map((n) => [n.name, n]))
  const after = new Map(variant.nodes.map((n) => [n.name, n]))
  const spread = (n: ProfileNode): MeanSpread => ({ meanMs: n.meanMs, stdDevMs: n.stdDevMs })
  const names = [...new Set([...after.keys(), ...before.keys()])]
  const nodes: ProfileNodeChange[] = names.map((name) => {
    const v = after.get(name)
    const p = before.get(name)
    const opType = (v ?? p)?.opType ?? ''
    const base = {
      name,
      opType,
      ...(p ? { parent: { ...spread(p), opType: p.opType } } : {}),
      ...(v ? { variant: spread(v) } : {}),
    }
    const vRuns = variant.perRunMs[name] ?? []
    const pRuns = parent.perRunMs[name] ?? []
    const parentMedian = percentile(pRuns, 0.5)
    if (!v || !p || !(parentMedian > 0)) return { ...base, significant: false }
    const ratio = percentile(vRuns, 0.5) / parentMedian
    const significant = Math.abs(rankSumZ(vRuns, pRuns)) > significantZ
    const big = ratio >= bigChange || ratio <= 1 / bigChange
    const note = significant && big ? changeSentence(opType, ratio, parent.model, changeReason(name, { ...(v.ranAs ? { variant: v.ranAs } : {}), ...(p.ranAs ? { parent: p.ranAs } : {}) }, variantFacts, parentFacts)) : undefined
    return { ...base, ratio, significant, ...(note ? { note } : {}) }
  })
  const larger = (c: ProfileNodeChange): number => Math.max(c.parent?.meanMs ?? 0, c.variant?.meanMs ?? 0)
  return {
    model: parent.model,
    ...(parent.modelId ? { modelId: parent.modelId } : {}),
    runMs: parent.runMs,
    nodes: nodes.sort((a, b) => larger(b) - larger(a)),
  }
}
