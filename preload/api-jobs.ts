// The contract's jobs: for every kind, what it is asked (request) and what it returns (result), in one
// table (`JobTypes`); the requests, results and job infos are discriminated unions derived from it. An
// engine adds a kind here and its definition in main/core/jobs/job-kinds.ts. Types only.
import type { InputProblem, Inspection, ModelEntry, ModelId } from './api-models'
import type { Problem } from './problems'
import type { ProfileOptions, ProfileResult } from './api-profile'
import type { PublishOptions, PublishResult } from './api-publish'
import type {
  ConvertOptions,
  GraphOptimizeOptions,
  PruneOptions,
  QuantizeOptions,
  Recipe,
  TfjsConvertOptions,
  TfjsDistillOptions,
  TfjsPruneOptions,
  TfjsQuantizeOptions,
} from './api-recipes'
import type { BenchmarkOptions, BenchmarkReport, BenchmarkResult, CompareOptions, CompareReport } from './api-results'
import type { TuneOptions, TuneReport } from './api-tune'

export type JobId = string

/**
 * An error as plain data. `message` is the whole text in the CLI's words (flags, full paths); the UI words
 * the same error from the structured fields instead (renderer/messages/problem-text.ts): `problem` when
 * the fix is said differently on each front end, else `file` and `reason`, else `message` (which then names
 * no flag and no path).
 */
export interface ErrorInfo {
  readonly name: string
  readonly message: string
  /** The inputs to set (shape, value or range) when generated inputs made the model fail. */
  readonly inputProblems?: readonly InputProblem[]
  readonly problem?: Problem
  /** The file the error is about, kept apart from the words so that the UI can show its name only. */
  readonly file?: string
  /** The message's own words without `file` and `details`: the UI's first line (after the file's name). */
  readonly reason?: string
  /** What one line cannot hold: node lists, ONNX Runtime's own text. Shown behind a disclosure. */
  readonly details?: readonly string[]
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface JobProgress {
  /** 0..1 */
  readonly fraction: number
  readonly stage: string
  readonly detail?: string
  /** Results so far, for live plots (a benchmark's finished configurations). */
  readonly partial?: readonly BenchmarkResult[] | TuneReport
}

/** What a recipe file's job made: every step's variant, oldest first, and the last one. */
export interface RecipeJobResult {
  readonly variants: readonly ModelId[]
  readonly final?: ModelId
}

/** A job that makes one variant of a workspace model (with these options) returns its entry. */
interface VariantJob<O> {
  readonly request: { readonly modelId: ModelId; readonly options: O }
  readonly result: ModelEntry
}

/** Every kind of job: what it is asked and what it returns. */
export interface JobTypes {
  readonly inspect: { readonly request: { readonly modelId: ModelId }; readonly result: Inspection }
  readonly benchmark: { readonly request: { readonly modelIds: readonly ModelId[]; readonly options: BenchmarkOptions }; readonly result: BenchmarkReport }
  readonly compare: {
    readonly request: { readonly baselineId: ModelId; readonly variantIds: readonly ModelId[]; readonly options: CompareOptions }
    readonly result: CompareReport
  }
  readonly prune: VariantJob<PruneOptions>
  readonly optimize: VariantJob<GraphOptimizeOptions>
  readonly recipe: { readonly request: { readonly modelId: ModelId; readonly recipe: Recipe }; readonly result: RecipeJobResult }
  readonly quantize: VariantJob<QuantizeOptions>
  readonly convert: VariantJob<ConvertOptions>
  readonly publish: { readonly request: { readonly modelId: ModelId; readonly options: PublishOptions }; readonly result: PublishResult }
  readonly 'tfjs-quantize': VariantJob<TfjsQuantizeOptions>
  readonly 'tfjs-prune': VariantJob<TfjsPruneOptions>
  readonly 'tfjs-distill': VariantJob<TfjsDistillOptions>
  readonly 'tfjs-convert': VariantJob<TfjsConvertOptions>
  readonly tune: { readonly request: { readonly modelId: ModelId; readonly options: TuneOptions }; readonly result: TuneReport }
  readonly profile: { readonly request: { readonly modelId: ModelId; readonly options: ProfileOptions }; readonly result: ProfileResult }
}

export type JobKind = keyof JobTypes

/** What a job of kind K is asked to do. */
export type JobRequestOf<K extends JobKind> = { readonly kind: K } & JobTypes[K]['request']
export type JobResultOf<K extends JobKind> = JobTypes[K]['result']

/** What a job is asked to do: the union over every kind. */
export type JobRequest = { readonly [K in JobKind]: JobRequestOf<K> }[JobKind]

export interface JobInfoBase {
  readonly id: JobId
  readonly title: string
  readonly modelId?: ModelId
  readonly state: JobState
  readonly progress: JobProgress
  readonly createdAt: string
  readonly finishedAt?: string
  readonly error?: ErrorInfo
  /** Set when the job ended without making anything, and why (a recipe whose output would equal its parent). */
  readonly warning?: ErrorInfo
}

/** A job of kind K: its result is there once it succeeded. */
export type JobInfoOf<K extends JobKind> = JobInfoBase & { readonly kind: K; readonly result?: JobResultOf<K> }

export type JobInfo = { readonly [K in JobKind]: JobInfoOf<K> }[JobKind]
