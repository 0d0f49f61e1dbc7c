// Every kind of job the contract's startJob accepts: its argument schema, its title, and how it runs.
// An engine adds a kind by adding its request to JobRequest in preload/api.ts and an entry here.
import type { z } from 'zod'
import type { JobKind, JobRequest } from '../../../preload/api'
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
import { tfjsConvertJob, tfjsDistillJob, tfjsPruneJob, tfjsQuantizeJob } from './tfjs-jobs'

export interface JobEnv {
  readonly workspace: Workspace
  readonly spawnWorker: SpawnWorker
  /** Where target tokens are kept (the keychain in the desktop app); a 0600 file in the workspace otherwise. */
  readonly secrets?: SecretStore
}

export interface JobKindDef<R extends JobRequest> {
  readonly schema: z.ZodType<R>
  title(request: R, env: JobEnv): Promise<string>
  run(request: R, env: JobEnv, job: JobRun): Promise<unknown>
}

type JobKinds = { readonly [K in JobKind]: JobKindDef<Extract<JobRequest, { kind: K }>> }

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
  profile: profileJob,
}

export function jobKindOf<K extends JobKind>(kind: K): JobKindDef<Extract<JobRequest, { kind: K }>> {
  return jobKinds[kind]
}
