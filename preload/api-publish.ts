// The contract's publishing: deployment targets, what a publish returns, and the deployments a target
// serves. Types only.
import type { ModelId } from './api-models'

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
  readonly lineage?: PublishedLineage
  readonly metrics?: PublishedBenchmark
}

/** What made a published version: the recipe chain of a workspace model (from the imported model on), or the file published. */
export type PublishedLineage = WorkspaceLineage | { readonly file: string }

export interface WorkspaceLineage {
  readonly modelId: ModelId
  readonly name: string
  /** Oldest first: the imported model, then each recipe applied. */
  readonly chain: readonly { readonly name: string; readonly recipe?: string; readonly params?: object; readonly createdAt: string }[]
}

/** The summary of the latest benchmark (and comparison) published with a version. */
export interface PublishedBenchmark {
  readonly batch: number
  readonly threads: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly samplesPerSec: number
  readonly sizeBytes: number
  readonly measuredAt: string
  readonly accuracy?: number
  readonly top1Agreement?: number
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
