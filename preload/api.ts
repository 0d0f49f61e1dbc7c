// The one contract between the UI and the engine. Types only, plus the lists of call and event names:
// the Electron preload (IPC) and the browser host (HTTP + WebSocket) both implement it, and the renderer
// sees nothing else. No imports from electron or node:* here.
import type { ProfileOptions } from './api-profile'

export type * from './api-profile'

export type ModelId = string
export type JobId = string

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
  readonly warnings: readonly InspectionWarning[]
  readonly runtimeCheck?: RuntimeCheck
}

export interface LineageStep {
  readonly parentId: ModelId
  readonly recipe: string
  readonly params: Readonly<Record<string, unknown>>
  readonly createdAt: string
  readonly durationMs: number
  /** Recipe summary (what was changed, what was left and why). */
  readonly summary?: unknown
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
}

export interface ErrorInfo {
  readonly name: string
  readonly message: string
  /** The inputs to set (shape, value or range) when generated inputs made the model fail. */
  readonly inputProblems?: readonly InputProblem[]
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface JobProgress {
  /** 0..1 */
  readonly fraction: number
  readonly stage: string
  readonly detail?: string
  /** Results so far, for live plots (a benchmark's finished configurations: BenchmarkResult[]). */
  readonly partial?: unknown
}

/** What a job is asked to do. Each engine adds its own kind here (see main/core/jobs/registry.ts). */
export type JobRequest =
  | { readonly kind: 'inspect'; readonly modelId: ModelId }
  | { readonly kind: 'benchmark'; readonly modelIds: readonly ModelId[]; readonly options: BenchmarkOptions }
  | { readonly kind: 'compare'; readonly baselineId: ModelId; readonly variantIds: readonly ModelId[]; readonly options: CompareOptions }
  | { readonly kind: 'prune'; readonly modelId: ModelId; readonly options: PruneOptions }
  | { readonly kind: 'optimize'; readonly modelId: ModelId; readonly options: GraphOptimizeOptions }
  | { readonly kind: 'recipe'; readonly modelId: ModelId; readonly recipe: Recipe }
  | { readonly kind: 'quantize'; readonly modelId: ModelId; readonly options: QuantizeOptions }
  | { readonly kind: 'convert'; readonly modelId: ModelId; readonly options: ConvertOptions }
  | { readonly kind: 'publish'; readonly modelId: ModelId; readonly options: PublishOptions }
  | { readonly kind: 'tfjs-quantize'; readonly modelId: ModelId; readonly options: TfjsQuantizeOptions }
  | { readonly kind: 'tfjs-prune'; readonly modelId: ModelId; readonly options: TfjsPruneOptions }
  | { readonly kind: 'tfjs-distill'; readonly modelId: ModelId; readonly options: TfjsDistillOptions }
  | { readonly kind: 'tfjs-convert'; readonly modelId: ModelId; readonly options: TfjsConvertOptions }
  | { readonly kind: 'profile'; readonly modelId: ModelId; readonly options: ProfileOptions }

/** TF.js weight quantization as tensorflowjs_converter writes it; TF.js dequantizes at load (smaller download only). */
export interface TfjsQuantizeOptions {
  readonly mode: 'uint8' | 'uint16' | 'float16'
}

/** TF.js magnitude pruning of convolution and dense kernels. */
export interface TfjsPruneOptions {
  /** Fraction of the kernel weights set to zero, in [0, 1). */
  readonly sparsity: number
  readonly scope?: 'global' | 'layer'
  readonly includeFirstLast?: boolean
  readonly excludeLayers?: readonly string[]
}

/** Distillation of a TF.js layers-model into a narrower student of the same architecture. */
export interface TfjsDistillOptions {
  /** .npy of inputs on the engine's machine, [N, ...input shape]. */
  readonly dataPath: string
  /** .npy of integer class labels [N]. */
  readonly labelsPath?: string
  /** Filters and hidden units scale (default 0.5). */
  readonly width?: number
  readonly epochs?: number
  readonly temperature?: number
  /** Weight of the soft-label loss (default 0.7); the hard labels get the rest. */
  readonly alpha?: number
  readonly batchSize?: number
  readonly learningRate?: number
}

/** TF.js layers-model → ONNX (so the ONNX recipes and Triton/KServe can take it). */
export interface TfjsConvertOptions {
  readonly to: 'onnx'
}

/** Where models are published: a Slipway server, a Triton server (explicit model control), or a folder. */
export type TargetKind = 'slipway' | 'triton' | 'folder'

/** A deployment target as the UI sees it; its token stays in the engine (keychain or a 0600 file). */
export interface TargetInfo {
  readonly name: string
  readonly kind: TargetKind
  /** Base URL of a server target. */
  readonly url?: string
  /** Output folder of a folder target. */
  readonly dir?: string
  /** Folder targets: 'triton' (model repository) or 'kserve' (repository plus InferenceService manifest). */
  readonly format?: 'triton' | 'kserve'
  readonly hasToken: boolean
}

/** A target to add; the token travels once, from the UI to the engine, and is never sent back. */
export interface NewTarget {
  readonly name: string
  readonly kind: TargetKind
  readonly url?: string
  readonly dir?: string
  readonly format?: 'triton' | 'kserve'
  readonly token?: string
}

export interface PublishOptions {
  /** A target name, or a server URL (Slipway targets only; the engine then has no token unless given one). */
  readonly target: string
  /** Model name on the target: [A-Za-z0-9][A-Za-z0-9._-]*. */
  readonly name: string
  /** When the name is taken: 'ask' fails with an 'exists' error; 'new-version' adds a version and serves it;
   * 'replace' does the same, then deletes the other versions. */
  readonly ifExists?: 'ask' | 'new-version' | 'replace'
  /** Inputs for the smoke test (.npy, .npz, test_data_set folder...); otherwise the data of the model's
   * latest comparison, or seeded random values. */
  readonly dataPath?: string
}

/** A publish that ended: where the model serves and how to call it. */
export interface PublishResult {
  readonly target: string
  readonly kind: TargetKind
  readonly model: string
  /** Version number as a string ('1', '2'...); absent for a folder export that wrote none yet. */
  readonly version: string
  readonly endpoint?: string
  readonly outDir?: string
  readonly sha256: string
  readonly sizeBytes: number
  readonly smoke?: SmokeResult
  readonly examples: { readonly curl: string; readonly python: string; readonly javascript: string }
  /** Upload attempts (more than 1 when the connection dropped and the upload was retried). */
  readonly attempts?: number
}

/** The target's answer on real inputs compared with the local ONNX Runtime run. */
export interface SmokeResult {
  readonly rows: number
  /** The data file the inputs are rows of, or 'random data' when no data fits the model. */
  readonly inputs: string
  readonly maxAbsDiff: number
  readonly outputs: readonly string[]
  readonly passed: boolean
}

export interface DeploymentVersion {
  readonly version: string
  readonly serving: boolean
  readonly canary?: boolean
  readonly loaded?: boolean
  readonly sha256?: string
  readonly sizeBytes?: number
  readonly createdAt?: string
  /** What Slipway published with the version: lineage (recipe chain) and benchmark summary. */
  readonly lineage?: unknown
  readonly metrics?: unknown
}

export interface DeploymentModel {
  readonly name: string
  readonly state: string
  readonly serving: string | null
  /** The version that served before (rollback goes there). */
  readonly previous?: string | null
  readonly versions: readonly DeploymentVersion[]
  readonly reason?: string
}

export interface DeploymentList {
  readonly target: string
  readonly kind: TargetKind
  readonly models: readonly DeploymentModel[]
}

/** One sample of a model's live metrics, from the server's /metrics (deltas against the previous sample). */
export interface DeploymentMetrics {
  readonly model: string
  readonly at: number
  /** Successful requests per second since the previous sample (null on the first). */
  readonly requestRate: number | null
  readonly errorRate: number | null
  readonly p50Ms: number | null
  readonly p99Ms: number | null
  readonly totalRequests: number
  readonly totalErrors: number
  /** Inputs whose population stability index says the live data moved away from the published data. */
  readonly driftWarnings: readonly string[]
}

export type DeploymentChange =
  | { readonly action: 'promote'; readonly model: string; readonly version: string }
  | { readonly action: 'rollback'; readonly model: string; readonly version?: string }
  | { readonly action: 'delete'; readonly model: string; readonly version?: string }

/** Quantization (`slipway quantize`, the quantize job): the recipe step's options and a few more. */
export interface QuantizeOptions extends RecipeQuantizeOptions {
  /** Percentile calibration: the share of values the range covers (default 99.999). */
  readonly percentile?: number
  /** Op types to quantize (default: every type the mode handles). */
  readonly opTypes?: readonly string[]
  /** Static: measure each quantized activation's SQNR against float and suggest nodes to exclude. */
  readonly errorReport?: boolean
}

/** Precision conversion (`slipway convert`, the convert job). */
export interface ConvertOptions {
  readonly to: 'fp16'
  /** Keep float32 inputs and outputs (Casts inside); otherwise they become float16. */
  readonly keepIoTypes?: boolean
  /** Data to compare the outputs on (random inputs otherwise). */
  readonly dataPath?: string
  readonly opTypes?: readonly string[]
  readonly excludeNodes?: readonly string[]
}

/** A node a recipe left as it was, and why. */
export interface LeftAsIs {
  readonly node: string
  readonly op: string
  readonly reason: string
}

/** One quantized activation's error: SQNR in dB of the quantized model's tensor against float. */
export interface TensorError {
  readonly tensor: string
  /** The node that produces it. */
  readonly node: string
  readonly op: string
  /** Quantized model vs float model at this tensor (errors accumulated from the input on). */
  readonly sqnrDb: number
  /** This tensor alone quantized and dequantized (its own rounding and clipping). */
  readonly qdqSqnrDb: number
}

/** What a quantize or convert run did, for the CLI's --json, the job result and the variant's lineage. */
export interface RecipeSummary {
  readonly recipe: string
  readonly parentBytes: number
  readonly outputBytes: number
  readonly sizeRatio: number
  /** Node count by op type of what was converted (quantized, or turned float16). */
  readonly converted: Readonly<Record<string, number>>
  readonly leftAsIs: readonly LeftAsIs[]
  readonly warnings: readonly string[]
  /** What the recipe did beyond converting ops, worth knowing when reading the graph. */
  readonly notes?: readonly string[]
  readonly durationMs: number
  readonly validation: {
    readonly rows: number
    readonly inputs: 'given data' | 'random data'
    readonly outputs: readonly { readonly name: string; readonly sqnrDb: number; readonly maxAbsDiff: number; readonly top1Agreement?: number }[]
  }
  /** Static with errorReport: activations, worst first. */
  readonly errorReport?: readonly TensorError[]
  /** Nodes worth keeping float (--exclude-nodes), from the error report. */
  readonly suggestedExclusions?: readonly string[]
}

/** Pruning: weights set to zero (magnitude), or whole channels removed (structured, smaller and faster). */
export type PruneOptions =
  | {
      readonly method: 'magnitude'
      /** Fraction of the weights set to zero, in [0, 1). */
      readonly sparsity: number
      /** 'global': one threshold across layers; 'layer': each layer reaches the sparsity. */
      readonly scope?: 'global' | 'layer'
      readonly excludeNodes?: readonly string[]
      /** Inputs (.npy, .npz, .pb, test_data_set folder) the result is compared with the parent on; random data otherwise. */
      readonly dataPath?: string
      /** Prune the first and last layers too (kept by default: they are the most sensitive). */
      readonly includeFirstLast?: boolean
    }
  | {
      readonly method: 'structured'
      /** Fraction of each layer's output channels removed, in [0, 1). */
      readonly ratio: number
      readonly criterion?: 'l1' | 'l2'
      /** Kept channels of layers with 4+ blocks are rounded to multiples of this (default 16, for ONNX Runtime's blocked kernels; 1: exact). */
      readonly channelMultiple?: number
      readonly excludeNodes?: readonly string[]
      readonly dataPath?: string
      readonly includeFirstLast?: boolean
    }

/** ONNX Runtime's offline graph optimization; 'all' bakes in layouts for this very CPU. */
export interface GraphOptimizeOptions {
  readonly level: 'basic' | 'extended' | 'all'
  /** Inputs the result is compared with the parent on; random data otherwise. */
  readonly dataPath?: string
}

/** Quantization as a recipe step (the quantization engine's options). */
export interface RecipeQuantizeOptions {
  readonly mode: 'dynamic' | 'static' | 'int4'
  /** Static: calibration data (.npy, .npz or test_data_set folder) on the engine's machine. */
  readonly calibPath?: string
  readonly method?: 'minmax' | 'percentile' | 'entropy'
  readonly perChannel?: boolean
  readonly samples?: number
  readonly blockSize?: 32 | 64 | 128
  readonly symmetric?: boolean
  readonly excludeNodes?: readonly string[]
}

export interface RecipeFp16Options {
  readonly keepIoTypes?: boolean
}

/** One step of a recipe; each step's output is the next step's parent. */
export type RecipeStep =
  | { readonly step: 'prune'; readonly options: PruneOptions }
  | { readonly step: 'optimize'; readonly options: GraphOptimizeOptions }
  | { readonly step: 'quantize'; readonly options: RecipeQuantizeOptions }
  | { readonly step: 'fp16'; readonly options?: RecipeFp16Options }

/** A recipe file (JSON): steps run in order, each output committed as a variant with its lineage. */
export interface Recipe {
  readonly name?: string
  readonly steps: readonly RecipeStep[]
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

export interface BenchmarkOptions {
  /** Batch sizes to sweep (default [1]). */
  readonly batches?: readonly number[]
  /** Intra-op thread counts to sweep (default [1]). */
  readonly threads?: readonly number[]
  /** Untimed runs before measuring (default 10). */
  readonly warmup?: number
  /** Timed runs per configuration, or a duration in seconds (default 100 runs). */
  readonly iterations?: number
  readonly durationS?: number
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
  readonly timeLimitS?: number
  readonly memoryCapMb?: number
}

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

export interface CompareVariant {
  readonly model: string
  readonly modelId?: ModelId
  /** Top-1 accuracy on the labels, 0..1. */
  readonly accuracy?: number
  /** Baseline accuracy minus this one's, in percentage points. */
  readonly accuracyDropPoints?: number
  /** The first output's fidelity; every output's in `outputs`. */
  readonly fidelity: OutputFidelity
  readonly outputs: readonly OutputFidelity[]
}

export interface CompareReport {
  readonly kind: 'compare'
  readonly createdAt: string
  readonly data: { readonly source: string; readonly samples: number; readonly labels?: string }
  readonly baseline: { readonly model: string; readonly modelId?: ModelId; readonly accuracy?: number }
  readonly variants: readonly CompareVariant[]
}

export type JobKind = JobRequest['kind']

export interface JobInfo {
  readonly id: JobId
  readonly kind: JobKind
  readonly title: string
  readonly modelId?: ModelId
  readonly state: JobState
  readonly progress: JobProgress
  readonly createdAt: string
  readonly finishedAt?: string
  readonly error?: ErrorInfo
  readonly result?: unknown
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

/** A calibration or evaluation data file (or folder) the engine can read: uploaded, picked, or the sample's. */
export interface DataFileInfo {
  readonly name: string
  /** Path on the engine's machine: what calibPath, dataPath and labelsPath take. */
  readonly path: string
  readonly sizeBytes: number
  readonly source: 'sample' | 'upload' | 'path'
}

/** A data file checked against a model's inputs (in a worker, with the loaders the jobs use). */
export interface DataCheck {
  readonly ok: boolean
  readonly rows?: number
  /** What the data holds for each model input (its first batch). */
  readonly inputs?: readonly { readonly name: string; readonly dtype: string; readonly shape: readonly number[] }[]
  /** Why it does not fit, naming the file, the input and the shape the model expects. */
  readonly error?: string
}

/** A result stored with a model (a BenchmarkReport, CompareReport or ProfileResult), by name (kind-time). */
export interface StoredResult {
  readonly name: string
  readonly value: unknown
}

/** Files a stored benchmark or comparison report exports to (the formats `slipway bench --out` writes). */
export type ReportFormat = 'csv' | 'md' | 'json'

/** Calls: renderer → engine. Every method returns a Promise. */
export interface Api {
  getAppInfo(): Promise<AppInfo>
  listModels(): Promise<readonly ModelEntry[]>
  getModel(id: ModelId): Promise<ModelEntry>
  importModel(source: ImportSource): Promise<ModelEntry>
  deleteModel(id: ModelId): Promise<void>
  listJobs(): Promise<readonly JobInfo[]>
  startJob(request: JobRequest): Promise<JobId>
  cancelJob(id: JobId): Promise<void>
  listDataFiles(): Promise<readonly DataFileInfo[]>
  /** Keeps a dropped or picked data file (or folder) in the workspace, for calibration and evaluation. */
  addDataFile(source: ImportSource): Promise<DataFileInfo>
  checkData(modelId: ModelId, path: string, options?: DataOptions): Promise<DataCheck>
  /** Remembers what a model's inputs are (checked against them); benchmarks and recipes of it use it. */
  setInputSpec(modelId: ModelId, spec: InputSpec): Promise<ModelEntry>
  listResults(modelId: ModelId): Promise<readonly StoredResult[]>
  /**
   * A stored benchmark or comparison run (its name in listResults), joined over the models it was stored
   * with, as the text of a CSV, Markdown or JSON file.
   */
  exportResult(modelIds: readonly ModelId[], name: string, format: ReportFormat): Promise<string>
  listTargets(): Promise<readonly TargetInfo[]>
  addTarget(target: NewTarget): Promise<TargetInfo>
  removeTarget(name: string): Promise<void>
  listDeployments(target: string): Promise<DeploymentList>
  deploymentMetrics(target: string, model: string): Promise<DeploymentMetrics>
  changeDeployment(target: string, change: DeploymentChange): Promise<DeploymentModel | null>
}

/** Events: engine → renderer. */
export interface Events {
  'models-changed': { readonly models: readonly ModelEntry[] }
  'job-updated': { readonly job: JobInfo }
  /** A desktop menu item the page acts on (Electron only): export the comparison, show a tab. */
  'menu-command': { readonly command: MenuCommand }
}

export type MenuCommand = 'export-report' | 'show-optimize' | 'show-benchmark' | 'show-compare'

/** A file the user dropped or picked, with its path inside a dropped folder ('' parts for a single file). */
export interface PickedFile {
  readonly file: File
  readonly relativePath: string
}

/** What the renderer gets: the calls, event subscription, and turning dropped files into an import source. */
export interface Bridge extends Api {
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void
  /**
   * Electron resolves the dropped items (files or folders) to paths on disk; the browser host uploads every
   * file (folders expanded, with their relative paths) and returns an upload id.
   */
  importSourceForFiles(dropped: readonly File[], expanded: readonly PickedFile[]): Promise<ImportSource>
}

export const apiMethods = [
  'getAppInfo',
  'listModels',
  'getModel',
  'importModel',
  'deleteModel',
  'listJobs',
  'startJob',
  'cancelJob',
  'listDataFiles',
  'addDataFile',
  'checkData',
  'setInputSpec',
  'listResults',
  'exportResult',
  'listTargets',
  'addTarget',
  'removeTarget',
  'listDeployments',
  'deploymentMetrics',
  'changeDeployment',
] as const satisfies readonly (keyof Api)[]

export const eventNames = ['models-changed', 'job-updated', 'menu-command'] as const satisfies readonly (keyof Events)[]

export type ApiMethod = (typeof apiMethods)[number]
export type EventName = (typeof eventNames)[number]

export function callChannel(method: ApiMethod): `api:${ApiMethod}` {
  return `api:${method}`
}

export function eventChannel(event: EventName): `event:${EventName}` {
  return `event:${event}`
}
