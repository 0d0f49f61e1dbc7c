// The contract's measurements: benchmark and comparison options and reports, and the results stored with
// a model (a discriminated union on `kind`). Types only.
import type { DataOptions, InputSpec, ModelId } from './api-models'
import type { PublishResult } from './api-publish'
import type { GraphOptimizationLevel, TuneReport } from './api-tune'
import type { ProfileResult } from './api-profile'

export interface BenchmarkOptions {
  /** Batch sizes to sweep (default [1]). */
  readonly batches?: readonly number[]
  /** Intra-op thread counts to sweep (default [1]). */
  readonly threads?: readonly number[]
  /** Untimed runs before measuring (default 10). */
  readonly warmup?: number
  /**
   * Timed runs per configuration (exactly this many), or else a time budget in seconds per configuration
   * (default 10): measuring stops earlier once the median's 95% interval is within ± stableWithin of it.
   */
  readonly iterations?: number
  readonly durationS?: number
  /** Relative half-width of the median's 95% interval at which measuring stops (default 0.02; 0 runs the whole budget). */
  readonly stableWithin?: number
  /** Full shapes by input name for dynamic dims, e.g. { input: [1, 3, 224, 224] }. */
  readonly shapes?: InputSpec['shapes']
  readonly ranges?: InputSpec['ranges']
  readonly values?: InputSpec['values']
  /** Best throughput whose p95 latency stays within this cap is the sweet spot. */
  readonly latencyCapMs?: number
  /** A data file or folder (on the engine's machine) to feed instead of random values. */
  readonly dataPath?: string
  readonly data?: DataOptions
  /** Per configuration: kill the worker past this time or resident memory. */
  readonly timeLimitS?: number
  readonly memoryCapMb?: number
  /** ONNX Runtime's graph optimization level for the sessions (default 'all'). */
  readonly graphOptimizationLevel?: GraphOptimizationLevel
}

export interface CompareOptions {
  /** Inputs both models run on: .npy/.npz, test_data_set folders, CSV or an image folder. */
  readonly dataPath: string
  /** Class labels (.npy, or one per line); CSV and image-class folders carry their own. */
  readonly labelsPath?: string
  readonly data?: DataOptions
  /** Samples per run (default: 32, or the model's fixed batch). */
  readonly batch?: number
  /** Inputs fixed to one value (a sample rate) need not be in the data; shapes say the size of those with dynamic dims. */
  readonly values?: InputSpec['values']
  readonly shapes?: InputSpec['shapes']
  /** Time budget for timing the models in alternation (default 10 s; 0 skips the timing). */
  readonly latencyBudgetS?: number
  /** Relative half-width of the 95% intervals at which the timing stops early (default 0.02). */
  readonly stableWithin?: number
  readonly timeLimitS?: number
  readonly memoryCapMb?: number
}

/** A measured value with its 95% confidence interval (low ≤ value ≤ high), in the value's unit. */
export interface Estimate {
  readonly value: number
  readonly low: number
  readonly high: number
}

/** Why a measurement stopped: its median was stable, its time budget ran out, or it ran the runs asked for. */
export type StopReason = 'stable' | 'budget' | 'runs'

export interface LatencyStats {
  readonly mean: number
  readonly p50: number
  readonly p90: number
  readonly p95: number
  readonly p99: number
  readonly min: number
  readonly max: number
  readonly stdDev: number
}

export interface CpuDescription {
  readonly model: string
  readonly logicalCores: number
  readonly arch: string
  readonly platform: string
  /** ML-relevant instruction-set extensions present ('avx2', 'avx512_vnni', 'asimddp'...). */
  readonly instructionSets: readonly string[]
  readonly int8Note: string
}

/** One model at one batch size and thread count. Latencies in milliseconds per run (one batch). */
export interface BenchmarkResult {
  readonly model: string
  readonly modelId?: ModelId
  readonly batch: number
  readonly threads: number
  readonly inputs: readonly { readonly name: string; readonly dtype: string; readonly shape: readonly number[] }[]
  readonly iterations: number
  readonly latencyMs: LatencyStats
  /** Coefficient of variation of the latencies (stdDev / mean). */
  readonly cv: number
  readonly throughput: { readonly inferencesPerSec: number; readonly samplesPerSec: number }
  /** The runtime that ran it ('ONNX Runtime 1.30.0', or TF.js with its backend), when models of both kinds are compared. */
  readonly runtime?: string
  readonly sessionCreateMs: number
  readonly firstRunMs: number
  /** Peak resident memory of the worker above its idle baseline (before the model was loaded). */
  readonly peakRssBytes: number
  readonly sizeBytes: number
  /** Latency distribution: bin i counts runs in [startMs + i·binWidthMs, startMs + (i+1)·binWidthMs). */
  readonly histogram: { readonly startMs: number; readonly binWidthMs: number; readonly counts: readonly number[] }
  readonly noiseWarning?: string
  /** 95% intervals of p50 and p99 (distribution-free) and of throughput; a quantile has none when too few runs. */
  readonly intervals?: { readonly p50Ms?: Estimate; readonly p99Ms?: Estimate; readonly throughput?: Estimate }
  /** Why measuring stopped (absent in results from before adaptive stopping). */
  readonly stop?: StopReason
}

export interface BenchmarkFailure {
  readonly model: string
  readonly modelId?: ModelId
  readonly batch: number
  readonly threads: number
  /** Why the worker failed or was stopped (crash signal, time limit, memory cap, runtime error). */
  readonly error: string
}

/** Best throughput within the latency cap (p95), per model; absent fields when nothing fits. */
export interface SweetSpot {
  readonly model: string
  readonly latencyCapMs?: number
  readonly batch?: number
  readonly threads?: number
  readonly samplesPerSec?: number
  readonly p95Ms?: number
  readonly note?: string
}

export interface BenchmarkReport {
  readonly kind: 'benchmark'
  readonly createdAt: string
  readonly runtime: string
  readonly cpu: CpuDescription
  readonly settings: {
    readonly warmup: number
    readonly iterations?: number
    readonly durationS?: number
    readonly stableWithin?: number
    readonly batches: readonly number[]
    readonly threads: readonly number[]
    readonly latencyCapMs?: number
    readonly data?: string
  }
  readonly results: readonly BenchmarkResult[]
  readonly failures: readonly BenchmarkFailure[]
  readonly sweetSpots: readonly SweetSpot[]
  readonly warnings: readonly string[]
}

/** How far a variant's output drifts from the baseline's on the same inputs. */
export interface OutputFidelity {
  readonly output: string
  readonly elements: number
  readonly maxAbsError: number
  readonly meanAbsError: number
  /** Mean over samples of the cosine similarity of the flattened outputs. */
  readonly cosine: number
  /** 10·log10(signal power / error power); null when the outputs are identical. */
  readonly sqnrDb: number | null
  /** Classifier outputs ([N, classes]): share of samples whose top-1 class agrees. */
  readonly top1Agreement?: number
  /** Share of samples whose baseline top-1 class is in the variant's top 5. */
  readonly top5Agreement?: number
  /** Mean KL(baseline ‖ variant) of the softmax (or of the outputs when they already are probabilities). */
  readonly klDivergence?: number
}

/** One model of a comparison: its name, id, bytes on disk and their digest (equal digests: the same model). */
export interface ComparedModel {
  readonly model: string
  readonly modelId?: ModelId
  readonly sizeBytes?: number
  /** sha256 of the model's files (ONNX: the model and its external data); absent for TF.js. */
  readonly digest?: string
}

/**
 * The models timed in alternation on the comparison's first sample(s), one thread: p50 of each with its
 * 95% interval, and every later model's runs over every earlier one's, round by round. Models are named by
 * their id in the workspace, else by their label.
 */
export interface PairedLatency {
  readonly batch: number
  readonly threads: number
  readonly rounds: number
  readonly stop: StopReason
  readonly budgetS: number
  readonly stableWithin: number
  readonly models: readonly { readonly key: string; readonly p50Ms: Estimate | null }[]
  /** `of`'s p50 over `over`'s, from the ratios of their runs in the same round; null when too few rounds. */
  readonly ratios: readonly { readonly of: string; readonly over: string; readonly ratio: Estimate | null }[]
}

export interface CompareVariant extends ComparedModel {
  /** Top-1 accuracy on the labels, 0..1. */
  readonly accuracy?: number
  /** Its 95% interval (Wilson's), 0..1. */
  readonly accuracyInterval?: Estimate
  /** Baseline accuracy minus this one's, in percentage points. */
  readonly accuracyDropPoints?: number
  /** The drop's 95% interval in points, from the outcomes paired per sample (both models saw the same samples). */
  readonly accuracyDropInterval?: Estimate
  /** The first output's fidelity; every output's in `outputs`. */
  readonly fidelity: OutputFidelity
  readonly outputs: readonly OutputFidelity[]
}

export interface CompareReport {
  readonly kind: 'compare'
  readonly createdAt: string
  readonly data: { readonly source: string; readonly samples: number; readonly labels?: string }
  readonly baseline: ComparedModel & { readonly accuracy?: number; readonly accuracyInterval?: Estimate }
  readonly variants: readonly CompareVariant[]
  /** Latency timed in alternation; absent when skipped (or in comparisons made before it existed). */
  readonly latency?: PairedLatency
}

/** A publish as the workspace records it with the model (the CLI and the publish job write it). */
export type PublishRecord = Omit<PublishResult, 'kind'> & {
  readonly kind: 'publish'
  readonly targetKind: PublishResult['kind']
  readonly publishedAt: string
}

/** What is stored with a model: a discriminated union on `kind`. */
export type StoredReport = BenchmarkReport | CompareReport | PublishRecord | TuneReport | ProfileResult
export type StoredReportKind = StoredReport['kind']

/** A result stored with a model, by name (kind-time). */
export interface StoredResult<R extends StoredReport = StoredReport> {
  readonly name: string
  readonly value: R
}

/** Files a stored benchmark or comparison report exports to (the formats `slipway bench --out` writes). */
export type ReportFormat = 'csv' | 'md' | 'json'
