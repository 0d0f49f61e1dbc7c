// The contract of the search for the best variant (job kind 'tune', `slipway tune`): its options, what it
// stores with the model and returns. Types only.
import type { DataOptions, ModelId } from './api-models'
import type { Estimate } from './api-results'
import type { RecipeStep } from './api-recipes'

/** What the tuner optimizes once the quality constraint is met. */
export type TuneObjective = 'latency' | 'size' | 'throughput'

/** ONNX Runtime's session graph optimization level (the benchmark's default is 'all'). */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all'

/** `slipway tune` and "Find the best variant": search the recipes and session settings under a constraint. */
export interface TuneOptions {
  /** Evaluation inputs (.npy, .npz, test_data_set folder, CSV, image folder). */
  readonly dataPath: string
  /** Class labels; CSV and image-class folders carry their own. */
  readonly labelsPath?: string
  /** Calibration inputs for static int8 (default: the evaluation inputs, which the log says). */
  readonly calibPath?: string
  readonly data?: DataOptions
  /** Largest accepted accuracy drop in percentage points (needs labels). */
  readonly maxAccuracyDrop?: number
  /** Or the least accepted agreement with the baseline: top-1 agreement (0..1) or output SQNR in dB. */
  readonly minFidelity?: { readonly top1Agreement?: number; readonly sqnrDb?: number }
  readonly objective?: TuneObjective
  /** Samples per run for the latency measurements (default 1). */
  readonly batch?: number
  /** Stop starting new candidates after this many seconds (default 600); the search says what it left out. */
  readonly timeBudgetS?: number
}

/** ONNX Runtime settings a variant runs best with; carried into the deployment's config when published. */
export interface SessionSettings {
  readonly intraOpThreads: number
  readonly graphOptimizationLevel: GraphOptimizationLevel
}

export type TuneCandidateStatus = 'queued' | 'running' | 'done' | 'failed' | 'no-op' | 'dropped' | 'skipped'

/** One recipe chain the tuner tried (or decided not to try), with what it measured. */
export interface TuneCandidate {
  /** Stable name of the chain ('static-minmax-pc', 'prune-0.25+static-minmax-pc'); resumes match on it. */
  readonly key: string
  readonly label: string
  /** The kind of recipe ('static', 'dynamic', 'int4', 'fp16', 'prune', 'optimize'). */
  readonly family: string
  /** How much of the change it makes within its family (int4 block size, prune ratio). */
  readonly strength?: number
  readonly steps: readonly RecipeStep[]
  /** The candidate whose variant is this one's parent (the tuned model when absent). */
  readonly parentKey?: string
  readonly status: TuneCandidateStatus
  /** Why it was dropped, skipped, failed or made nothing new. */
  readonly reason?: string
  readonly modelId?: ModelId
  readonly sizeBytes?: number
  readonly p50Ms?: number
  /** Half width of the 95% confidence interval of the median latency, from the measured distribution. */
  readonly p50HalfWidthMs?: number
  readonly samplesPerSec?: number
  readonly accuracy?: number
  readonly accuracyDropPoints?: number
  /** The drop's 95% interval in points (paired per sample). */
  readonly accuracyDropInterval?: Estimate
  readonly top1Agreement?: number
  readonly sqnrDb?: number | null
  /** Whether it meets the constraint; null until measured. */
  readonly meets?: boolean | null
  /** Static int8: the nodes its error report says are worth keeping in float. */
  readonly suggestedExclusions?: readonly string[]
}

export interface TuneLogEntry {
  readonly at: string
  readonly kind: 'tried' | 'dropped' | 'info'
  readonly text: string
}

/** The search: its state (persisted in the workspace after every candidate, so a restart resumes it), the Pareto front and the pick. */
export interface TuneReport {
  readonly kind: 'tune'
  /** The stored result's name; a restarted search with the same settings continues this one. */
  readonly id: string
  readonly createdAt: string
  readonly modelId: ModelId
  readonly model: string
  readonly options: TuneOptions
  /** In words: "accuracy drop ≤ 1 point" or "top-1 agreement ≥ 99%". */
  readonly constraint: string
  readonly state: 'running' | 'done'
  readonly baseline: { readonly sizeBytes: number; readonly p50Ms?: number; readonly p50HalfWidthMs?: number; readonly samplesPerSec?: number; readonly accuracy?: number }
  readonly candidates: readonly TuneCandidate[]
  readonly log: readonly TuneLogEntry[]
  /** Model ids on the Pareto front of latency against quality drop (the baseline included). */
  readonly front: readonly ModelId[]
  /** The recommended variant (the pick rule over the measured candidates), or null with the reason. */
  readonly recommended: ModelId | null
  readonly reason: string
  /** Session settings measured best for the recommended variant. */
  readonly settings?: SessionSettings & { readonly note: string }
}
