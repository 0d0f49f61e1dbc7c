// Profiles a model (and, for a variant, its parent with the same settings) in worker processes, one per
// model, and joins the two node by node. Inputs are resolved as the benchmark resolves them, so a profile
// runs on what a benchmark of the same batch would feed. The engine parses no model file itself: the inputs
// are resolved ('profile-plan') and the two profiles joined ('profile-join') in workers of their own, since
// reading a hostile file must crash only a worker.
import type { InputSpec, ModelId, ProfileOptions, ProfileResult } from '../../../preload/api'
import { CancelledError, UserError } from '../errors'
import { runInWorker } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import { batchOf, type ResolvedInput } from '../bench/input-spec'
import { defaultMemoryCapBytes, readingLimits } from '../bench/run-bench'
import type { ProfileModelResult } from './profile-task'

export interface ProfiledModel {
  readonly path: string
  /** Shown in reports: the workspace name, or the path. */
  readonly label: string
  readonly modelId?: ModelId
  readonly inputSpec?: InputSpec
}

export interface ProfileRun {
  readonly signal?: AbortSignal
  onProgress?(fraction: number, stage: string, detail?: string): void
}

export const profileDefaults = { runs: 20, warmup: 5, threads: 1, timeLimitS: 600 } as const

function checkOptions(options: ProfileOptions): void {
  for (const [what, value, min] of [
    ['the batch size', options.batch, 1],
    ['the thread count', options.threads, 1],
    ['the number of runs', options.runs, 2],
    ['warm-up', options.warmup, 0],
  ] as const)
    if (value !== undefined && (!Number.isInteger(value) || value < min)) throw new UserError(`${what} must be a whole number ≥ ${min}, not ${value}`)
}

export async function runProfile(spawn: SpawnWorker, model: ProfiledModel, options: ProfileOptions, parent?: ProfiledModel, run: ProfileRun = {}): Promise<ProfileResult> {
  checkOptions(options)
  const targets = parent ? [model, parent] : [model]
  const signal = run.signal ? { signal: run.signal } : {}
  const inputs = await runInWorker(spawn, 'profile-plan', { models: targets, options }, { ...signal, ...readingLimits() })
  const threads = options.threads ?? profileDefaults.threads
  const warmup = options.warmup ?? profileDefaults.warmup
  const runs = options.runs ?? profileDefaults.runs
  const measured: ProfileModelResult[] = []
  for (const [index, target] of targets.entries()) {
    if (run.signal?.aborted) throw new CancelledError()
    measured.push(
      await runInWorker(spawn, 'profile-model', { modelPath: target.path, inputs: inputs[index] as ResolvedInput[], threads, warmup, runs }, {
        ...signal,
        flags: { smallYoungGeneration: true },
        timeLimitMs: profileDefaults.timeLimitS * 1000,
        memoryCapBytes: defaultMemoryCapBytes(),
        onProgress: (fraction, stage, detail) => run.onProgress?.((index + fraction) / targets.length, stage, `${target.label}${detail ? ` · ${detail}` : ''}`),
      }),
    )
  }
  const [own, parentTimes] = measured as [ProfileModelResult, ProfileModelResult | undefined]
  const modelInputs = inputs[0] as ResolvedInput[]
  const { runtime, perRunMs, ...times } = own
  const result: ProfileResult = {
    kind: 'profile',
    createdAt: new Date().toISOString(),
    model: model.label,
    ...(model.modelId ? { modelId: model.modelId } : {}),
    runtime,
    batch: batchOf(modelInputs),
    threads,
    inputs: modelInputs.map((i) => ({ name: i.name, dtype: i.dtype, shape: i.shape })),
    warmup,
    ...times,
  }
  if (!parent || !parentTimes) return result
  const parentResult = { ...parentTimes, model: parent.label, ...(parent.modelId ? { modelId: parent.modelId } : {}) }
  const joined = await runInWorker(
    spawn,
    'profile-join',
    { variant: { ...result, perRunMs }, variantPath: model.path, parent: parentResult, parentPath: parent.path },
    { ...signal, ...readingLimits() },
  )
  return { ...result, parent: joined }
}
