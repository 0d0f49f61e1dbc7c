// The one contract between the UI and the engine. Types only, plus the lists of call and event names:
// the Electron preload (IPC) and the browser host (HTTP + WebSocket) both implement it, and the renderer
// sees nothing else. No imports from electron or node:* here.

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
}

export interface ErrorInfo {
  readonly name: string
  readonly message: string
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface JobProgress {
  /** 0..1 */
  readonly fraction: number
  readonly stage: string
  readonly detail?: string
}

/** What a job is asked to do. Each engine adds its own kind here (see main/core/jobs/registry.ts). */
export type JobRequest = { readonly kind: 'inspect'; readonly modelId: ModelId }

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
}

/** Events: engine → renderer. */
export interface Events {
  'models-changed': { readonly models: readonly ModelEntry[] }
  'job-updated': { readonly job: JobInfo }
}

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
] as const satisfies readonly (keyof Api)[]

export const eventNames = ['models-changed', 'job-updated'] as const satisfies readonly (keyof Events)[]

export type ApiMethod = (typeof apiMethods)[number]
export type EventName = (typeof eventNames)[number]

export function callChannel(method: ApiMethod): `api:${ApiMethod}` {
  return `api:${method}`
}

export function eventChannel(event: EventName): `event:${EventName}` {
  return `event:${event}`
}
