// Every kind of job the contract's startJob accepts: its argument schema, its title, and how it runs.
// An engine adds a kind by adding its request and result to JobTypes in preload/api-jobs.ts and an entry here.
import type { z } from 'zod'
import type { JobKind, JobRequestOf, JobResultOf } from '../../../preload/api'
import type { Workspace } from '../workspace/workspace'
import type { SecretStore } from '../publish/secret-store'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import type { JobRun } from './job-queue'
import { benchmarkJob } from './benchmark-job'
import { compareJob } from './compare-job'
import { inspectJob } from './inspect-job'
import { optimizeJob } from './optimize-job'
import { pruneJob } from './prune-job'
import { publishJob } from './publish-job'
import { convertJob } from './convert-job'
import { quantizeJob } from './quantize-job'
import { profileJob } from './profile-job'
import { recipeJob } from './recipe-job'
import { tuneJob } from './tune-job'
import { tfjsConvertJob, tfjsDistillJob, tfjsPruneJob, tfjsQuantizeJob } from './tfjs-jobs'

export interface JobEnv {
  readonly workspace: Workspace
  readonly spawnWorker: SpawnWorker
  /** Where target tokens are kept (the keychain in the desktop app); a 0600 file in the workspace otherwise. */
  readonly secrets?: SecretStore
  /** Tells the UI the models changed while a long job runs (a search's variants appear as they are made). */
  readonly modelsChanged?: () => Promise<void>
}

export interface JobKindDef<K extends JobKind> {
  readonly schema: z.ZodType<JobRequestOf<K>>
  title(request: JobRequestOf<K>, env: JobEnv): Promise<string>
  run(request: JobRequestOf<K>, env: JobEnv, job: JobRun): Promise<JobResultOf<K>>
}

type JobKinds = { readonly [K in JobKind]: JobKindDef<K> }

export const jobKinds: JobKinds = {
  publish: publishJob,
  inspect: inspectJob,
  benchmark: benchmarkJob,
  compare: compareJob,
  prune: pruneJob,
  optimize: optimizeJob,
  recipe: recipeJob,
  convert: convertJob,
  quantize: quantizeJob,
  'tfjs-quantize': tfjsQuantizeJob,
  'tfjs-prune': tfjsPruneJob,
  'tfjs-distill': tfjsDistillJob,
  'tfjs-convert': tfjsConvertJob,
  tune: tuneJob,
  profile: profileJob,
}

export function jobKindOf<K extends JobKind>(kind: K): JobKindDef<K> {
  return jobKinds[kind]
}
