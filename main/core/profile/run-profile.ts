// Profiles a model (and, for a variant, its parent with the same settings) in worker processes, one per
// model, and joins the two node by node. Inputs are resolved as the benchmark resolves them, so a profile
// runs on what a benchmark of the same batch would feed.
import type { InputSpec, ModelId, ProfileOptions, ProfileResult } from '../../../preload/api'
import { CancelledError, UserError } from '../errors'
import { readOnnxModel } from '../onnx/model-file'
import { runInWorker } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import { batchOf, checkInputBytes, mergeSpecs, resolveInputs, type ResolvedInput } from '../bench/input-spec'
import { readModelIo } from '../bench/model-io'
import { defaultMemoryCapBytes } from '../bench/run-bench'
import { compareProfiles } from './compare-profiles'
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

async function resolveFor(model: ProfiledModel, options: ProfileOptions): Promise<ResolvedInput[]> {
  const io = await readModelIo(model.path)
  if (io.runtime !== 'onnx') throw new UserError(`${model.label}: the per-operator profile runs ONNX models (ONNX Runtime's profiler); convert it to ONNX first`)
  const optionSpec: InputSpec = {
    ...(options.shapes ? { shapes: options.shapes } : {}),
    ...(options.ranges ? { ranges: options.ranges } : {}),
    ...(options.values ? { values: options.values } : {}),
  }
  const spec = mergeSpecs(model.inputSpec, optionSpec)
  const inputs = resolveInputs(model.label, io.inputs, { spec, ...(options.batch === undefined ? {} : { batch: options.batch }) })
  checkInputBytes(model.label, inputs)
  return inputs
}

export async function runProfile(spawn: SpawnWorker, model: ProfiledModel, options: ProfileOptions, parent?: ProfiledModel, run: ProfileRun = {}): Promise<ProfileResult> {
  checkOptions(options)
  const targets = parent ? [model, parent] : [model]
  const inputs = await Promise.all(targets.map((target) => resolveFor(target, options)))
  const threads = options.threads ?? profileDefaults.threads
  const warmup = options.warmup ?? profileDefaults.warmup
  const runs = options.runs ?? profileDefaults.runs
  const measured: ProfileModelResult[] = []
  for (const [index, target] of targets.entries()) {
    if (run.signal?.aborted) throw new CancelledError()
    measured.push(
      await runInWorker(spawn, 'profile-model', { modelPath: target.path, inputs: inputs[index] as ResolvedInput[], threads, warmup, runs }, {
        ...(run.signal ? { signal: run.signal } : {}),
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
  const [variantModel, parentModel] = await Promise.all([readOnnxModel(model.path), readOnnxModel(parent.path)])
  return { ...result, parent: compareProfiles({ ...result, perRunMs }, parentResult, variantModel.model, parentModel.model) }
}
