// The contract's models: what a model in the workspace is (entry, inspection, lineage), how it is imported,
// and the data files that go with it. Types only.
import type { ErrorInfo } from './api-jobs'
import type { LineageStep } from './api-recipes'

export type ModelId = string

export type ModelFormat = 'onnx' | 'tfjs-layers' | 'tfjs-graph'

/** A dimension is a number when fixed, its symbolic name when dynamic ('?' when anonymous). */
export type Dim = number | string

export interface TensorInfo {
  readonly name: string
  readonly dtype: string
  readonly shape: readonly Dim[]
}

export type WarningSeverity = 'info' | 'warning' | 'error'

export interface InspectionWarning {
  /** Stable machine-readable code, e.g. 'dynamic-dims', 'external-data', 'ort-load-failed'. */
  readonly code: string
  readonly severity: WarningSeverity
  readonly message: string
}

export interface DtypeBytes {
  readonly count: number
  readonly bytes: number
}

export interface RuntimeCheck {
  /** Whether the runtime (ONNX Runtime, or TF.js) created a session for the model, checked in the worker. */
  readonly loads: boolean
  readonly runtime: string
  readonly sessionCreateMs?: number
  readonly error?: string
}

export interface Inspection {
  readonly format: ModelFormat
  readonly inputs: readonly TensorInfo[]
  readonly outputs: readonly TensorInfo[]
  readonly irVersion?: number
  /** Operator set domain ('' is ai.onnx) → version. */
  readonly opsets: Readonly<Record<string, number>>
  readonly producer?: { readonly name: string; readonly version: string }
  readonly nodeCount: number
  /** Operator type (domain-qualified when not ai.onnx) → node count, subgraphs included. */
  readonly opHistogram: Readonly<Record<string, number>>
  readonly parameters: {
    readonly count: number
    readonly bytes: number
    readonly byDtype: Readonly<Record<string, DtypeBytes>>
  }
  /** Bytes on disk, the model file plus external data or weight shards. */
  readonly sizeBytes: number
  /** Multiply-accumulates for one sample where shapes allow; null when they do not. */
  readonly macs: number | null
  /** Where the estimate stopped when macs is null: the first compute node it could not size ("Conv 'conv1'"). */
  readonly macsUnknownAt?: string
  readonly warnings: readonly InspectionWarning[]
  readonly runtimeCheck?: RuntimeCheck
}

/**
 * What deleting a model takes with it, worked out before anything goes so the confirmation can list it:
 * the model and every variant made from it (by lineage), their stored results and their bytes on disk.
 */
export interface DeletionPlan {
  /** The model first, then its variants, their variants... */
  readonly models: readonly { readonly id: ModelId; readonly name: string }[]
  /** Stored results kept with them (benchmarks, comparisons, profiles, searches, publish records). */
  readonly results: number
  /** Bytes on disk of their folders: model files and results. */
  readonly sizeBytes: number
  /** Where they were published: a target keeps its own copy, so these deployments go on serving. */
  readonly published: readonly { readonly target: string; readonly model: string; readonly version: string }[]
}

export interface ModelEntry {
  readonly id: ModelId
  readonly name: string
  readonly format: ModelFormat
  /** Main file of the model, relative to its folder in the workspace (model.onnx or model.json). */
  readonly mainFile: string
  readonly files: readonly string[]
  readonly sizeBytes: number
  readonly importedAt: string
  /** Where the user took it from (a path, or 'sample'/'upload'). */
  readonly source: string
  readonly lineage?: LineageStep
  readonly inspection?: Inspection
  /** What its inputs should be when no data is given (set in the Model inputs panel; variants inherit it). */
  readonly inputSpec?: InputSpec
  /** The data the user chose for it, by role; null where they cleared the choice (no suggestion then). */
  readonly dataChoices?: DataChoices
}

/** Inclusive range of values for an input's random data (token ids within a vocabulary...). */
export interface ValueRange {
  readonly low: number
  readonly high: number
}

/**
 * What a model's inputs are when no data file says: by input name, a full shape for dynamic dims
 * ([1, 3, 640, 640]; the benchmark's batch sizes still fill a dynamic leading dim), a range for random
 * values, or one fixed value (a sample rate: { sr: 16000 }). The benchmark, comparisons, every recipe's
 * output check and calibration read the same spec (CLI: --shape, --range, --value).
 */
export interface InputSpec {
  readonly shapes?: Readonly<Record<string, readonly number[]>>
  readonly ranges?: Readonly<Record<string, ValueRange>>
  readonly values?: Readonly<Record<string, number>>
}

/** One input that generated data could not stand in for, and what is wrong or missing. */
export interface InputProblem {
  readonly input: string
  readonly problem: string
  /** What would settle it: the input's shape (dynamic dims), or its values (a fixed value or a range). */
  readonly needs?: 'shape' | 'values'
}

/** How a data set is read: row limit, and for CSV tables and image folders, how values are prepared. */
export interface DataOptions {
  /** Use at most this many samples. */
  readonly limit?: number
  /** CSV: the label column (header name or 0-based index, or 'none'); multiply features by `scale`. */
  readonly labelColumn?: string
  readonly scale?: number
  /** Image folders: size, layout, channels, mean/std after scaling (defaults come from the model input). */
  readonly width?: number
  readonly height?: number
  readonly layout?: 'nchw' | 'nhwc'
  readonly channels?: 1 | 3
  readonly mean?: readonly number[]
  readonly std?: readonly number[]
}

export interface AppInfo {
  readonly version: string
  readonly host: 'electron' | 'browser' | 'cli'
  readonly workspaceDir: string
  readonly onnxRuntimeVersion: string
  readonly platform: string
}

/** Where the files of an import come from: paths on the engine's machine, or an upload staged by the host. */
export type ImportSource =
  | { readonly kind: 'paths'; readonly paths: readonly string[] }
  | { readonly kind: 'upload'; readonly uploadId: string }

/** The sample model shipped with the app: a first run shows it, and an empty workspace offers it again. */
export interface SampleSource {
  readonly kind: 'sample'
}

/** A calibration or evaluation data file (or folder) the engine can read: uploaded, picked, or the sample's. */
export interface DataFileInfo {
  readonly name: string
  /** Path on the engine's machine: what calibPath, dataPath and labelsPath take. */
  readonly path: string
  readonly sizeBytes: number
  readonly source: 'sample' | 'upload' | 'path'
}

/** MACs of one sample with the shapes the user gave for the dynamic dims (the Overview's "try a size"). */
export interface MacsEstimate {
  readonly macs: number | null
  /** When still null: the first compute node the estimate could not size. */
  readonly unknownAt?: string
}

/** What a data file is for: calibrating a quantization, evaluating (inputs), or scoring (labels). */
export type DataRole = 'calibration' | 'evaluation' | 'labels'

export type DataChoices = Readonly<Partial<Record<DataRole, string | null>>>

/** A data file the engine proposes for a role because it fits the model's inputs (labels: paired by name). */
export interface DataSuggestion {
  readonly path: string
  /** Why, in the UI's words: "fits input x [1, 1, 28, 28]", "pairs with digits_test_x.npy". */
  readonly reason: string
}

export type DataSuggestions = Readonly<Partial<Record<DataRole, DataSuggestion>>>

/** A data file checked against a model's inputs (in a worker, with the loaders the jobs use). */
export interface DataCheck {
  readonly ok: boolean
  readonly rows?: number
  /** What the data holds for each model input (its first batch). */
  readonly inputs?: readonly { readonly name: string; readonly dtype: string; readonly shape: readonly number[] }[]
  /** Why it does not fit, naming the file, the input and the shape the model expects. */
  readonly error?: ErrorInfo
}
