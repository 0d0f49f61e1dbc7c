// Worker task 'profile-plan': reads the models of a profile (a model, and a variant's parent) and resolves
// each one's inputs as the benchmark resolves them, in a worker so that a hostile model file can crash only
// that process. The engine passes paths and options and gets back plain data: each model's inputs for
// 'profile-model'.
import type { InputSpec, ProfileOptions } from '../../../preload/api'
import { UserError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { checkInputBytes, mergeSpecs, resolveInputs, type ResolvedInput } from '../bench/input-spec'
import { readModelIo } from '../bench/model-io'
import type { ProfiledModel } from './run-profile'

export interface ProfilePlanParams {
  /** The model first, then its parent when there is one. */
  readonly models: readonly ProfiledModel[]
  readonly options: ProfileOptions
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

/** Each model's inputs, in the request's order; throws before any model is profiled. */
export async function planProfile(params: ProfilePlanParams, ctx: JobContext): Promise<ResolvedInput[][]> {
  ctx.progress(0, 'reading the models')
  return Promise.all(params.models.map((model) => resolveFor(model, params.options)))
}
