// The per-operator profile (job kind 'profile', `slipway profile`): where one model's run time goes, node
// by node and by op type, measured with ONNX Runtime's profiler; for a variant, next to its parent's.
// Types only.
import type { InputSpec, ModelId } from './api-models'

export interface ProfileOptions {
  /** Fills a dynamic leading dim (default: the model's fixed batch, else 1). */
  readonly batch?: number
  /** Intra-op threads (default 1). */
  readonly threads?: number
  /** Profiled runs (default 20) after untimed warm-up runs (default 5). */
  readonly runs?: number
  readonly warmup?: number
  readonly shapes?: InputSpec['shapes']
  readonly ranges?: InputSpec['ranges']
  readonly values?: InputSpec['values']
  /** For a variant: profile its parent with the same settings and match nodes by name (default true). */
  readonly withParent?: boolean
}

/** Mean and standard deviation over the profiled runs, in milliseconds. */
export interface MeanSpread {
  readonly meanMs: number
  readonly stdDevMs: number
}

/** One node of the model as ONNX Runtime ran it. */
export interface ProfileNode extends MeanSpread {
  /**
   * The node's name in the model file (NodeProto.name, nodes inside If/Loop/Scan bodies included): what the
   * graph view keys its time overlay on. An unnamed node is `<opType>(<first output>)`, as recipe summaries
   * name it. Kernels that ONNX Runtime added itself (layout reorders, casts) carry ONNX Runtime's name and
   * `runtimeOnly`.
   */
  readonly name: string
  /** The op type in the model file (the kernel's op for runtimeOnly entries). */
  readonly opType: string
  /** Share of the run's node time (meanMs / nodeSumMs.meanMs), 0..1. */
  readonly share: number
  /** The kernel ONNX Runtime ran for it when that differs from opType ('FusedConv', 'QLinearConv'...). */
  readonly ranAs?: string
  /** Nodes of the model whose work ONNX Runtime fused into this one: their time is counted here. */
  readonly fused?: readonly string[]
  /** The node holds subgraphs (If/Loop/Scan): its time includes its body's nodes, so totals leave it out. */
  readonly hasSubgraph?: true
  readonly runtimeOnly?: true
}

/** All nodes of one op type (as written in the model file). */
export interface ProfileOpType extends MeanSpread {
  readonly opType: string
  readonly nodes: number
  readonly share: number
}

/** One node next to its parent's: matched by name; a side is absent when the node exists only in the other model. */
export interface ProfileNodeChange {
  readonly name: string
  readonly opType: string
  readonly parent?: MeanSpread & { readonly opType: string }
  readonly variant?: MeanSpread
  /** variant / parent, of the median times over the runs (one preempted run does not move it). */
  readonly ratio?: number
  /** The two models' runs differ beyond chance (a rank-sum test, |z| > 2: one preempted run does not decide it). */
  readonly significant: boolean
  /** Why it changed, read from the variant's graph ("its input is not quantized"), for big significant changes. */
  readonly note?: string
}

export interface ProfileComparison {
  readonly model: string
  readonly modelId?: ModelId
  readonly runMs: MeanSpread
  /** Nodes of either model by the larger of their two times, slowest first. */
  readonly nodes: readonly ProfileNodeChange[]
}

export interface ProfileResult {
  readonly kind: 'profile'
  readonly createdAt: string
  readonly model: string
  readonly modelId?: ModelId
  readonly runtime: string
  readonly batch: number
  readonly threads: number
  readonly inputs: readonly { readonly name: string; readonly dtype: string; readonly shape: readonly number[] }[]
  readonly warmup: number
  readonly runs: number
  /** Per run: the profiler's model_run event, and the sum of every node's kernel time in that run. */
  readonly runMs: MeanSpread
  readonly nodeSumMs: MeanSpread
  /** Every node that ran, slowest first (the first ten are the top 10). */
  readonly nodes: readonly ProfileNode[]
  /** Op types, slowest first. */
  readonly opTypes: readonly ProfileOpType[]
  /** Nodes of the model that never ran: folded into constants or removed by ONNX Runtime's optimizer. */
  readonly notRun: readonly string[]
  /** For a variant: its parent profiled with the same settings, node by node. */
  readonly parent?: ProfileComparison
}
