// The one contract between the UI and the engine: the calls (`Api`), the events, and what the renderer
// gets (`Bridge`). Types only; the payloads are defined by area in api-models, api-recipes, api-results,
// api-publish and api-jobs (re-exported here), and the call and event names in channels.ts. The Electron
// preload (IPC) and the browser host (HTTP + WebSocket) both implement it, and the renderer sees nothing
// else. No imports from electron or node:* here.
import type { AppInfo, DataCheck, DataFileInfo, DataOptions, DataRole, DataSuggestions, DeletionPlan, ImportSource, InputSpec, MacsEstimate, ModelEntry, ModelId, SampleSource } from './api-models'
import type { DeploymentChange, DeploymentList, DeploymentMetrics, DeploymentModel, NewTarget, TargetInfo } from './api-publish'
import type { ReportFormat, StoredResult } from './api-results'
import type { JobId, JobInfo, JobRequest } from './api-jobs'
import type { ModelGraph } from './api-graph'

export type * from './api-models'
export type * from './api-recipes'
export type * from './api-results'
export type * from './api-publish'
export type * from './api-jobs'
export type * from './api-profile'
export type * from './api-tune'
export type * from './api-graph'
export type * from './problems'
export { apiMethods, eventNames, callChannel, eventChannel, apiCalls, type ApiMethod, type EventName, type Invoke } from './channels'

/** Calls: renderer → engine. Every method returns a Promise. */
export interface Api {
  getAppInfo(): Promise<AppInfo>
  listModels(): Promise<readonly ModelEntry[]>
  getModel(id: ModelId): Promise<ModelEntry>
  importModel(source: ImportSource | SampleSource): Promise<ModelEntry>
  /** What deleteModel(id) would remove: the model, its variants, their results and bytes. */
  planDeletion(id: ModelId): Promise<DeletionPlan>
  /** Removes the model with every variant made from it, their files and stored results. */
  deleteModel(id: ModelId): Promise<void>
  /** Changes the name shown for a model or variant (its id, folder and lineage stay). */
  renameModel(id: ModelId, name: string): Promise<ModelEntry>
  listJobs(): Promise<readonly JobInfo[]>
  startJob(request: JobRequest): Promise<JobId>
  cancelJob(id: JobId): Promise<void>
  /** Forgets the jobs that ended (succeeded, failed or cancelled); returns their ids. */
  clearFinishedJobs(): Promise<readonly JobId[]>
  listDataFiles(): Promise<readonly DataFileInfo[]>
  /** Keeps a dropped or picked data file (or folder) in the workspace, for calibration and evaluation. */
  addDataFile(source: ImportSource): Promise<DataFileInfo>
  checkData(modelId: ModelId, path: string, options?: DataOptions): Promise<DataCheck>
  /** For each role, the first data file of the workspace that fits the model's inputs (none that does not). */
  suggestData(modelId: ModelId): Promise<DataSuggestions>
  /** Remembers the model's data for a role (null: none, and no suggestion either); kept in its entry. */
  setDataChoice(modelId: ModelId, role: DataRole, path: string | null): Promise<ModelEntry>
  /** MACs of one sample with these full input shapes (sizes for the dims the model leaves dynamic). */
  estimateMacs(modelId: ModelId, shapes: Readonly<Record<string, readonly number[]>>): Promise<MacsEstimate>
  /** Remembers what a model's inputs are (checked against them); benchmarks and recipes of it use it. */
  setInputSpec(modelId: ModelId, spec: InputSpec): Promise<ModelEntry>
  listResults(modelId: ModelId): Promise<readonly StoredResult[]>
  /** The model's nodes, tensors (shapes, dtypes) and weight statistics, for the Graph tab. */
  getGraph(modelId: ModelId): Promise<ModelGraph>
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
