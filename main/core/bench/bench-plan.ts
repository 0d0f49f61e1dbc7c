// Worker task 'bench-plan': reads every model and data file of a benchmark and resolves each configuration's
// inputs and data, in a worker so that a hostile model or data file can crash only that process. The engine
// passes paths and options and gets back plain data: each model's runtime and size, each configuration's
// parameters for 'bench-model'.
import type { BenchmarkOptions, InputSpec } from '../../../preload/api'
import { InputSpecError } from '../errors'
import { loadTensorData, type TensorDataSet } from '../data/load-tensors'
import type { JobContext } from '../jobs/job-context'
import type { BenchModelParams } from './bench-task'
import { benchDefaults, timingOf } from './bench-settings'
import { dataLoadOptions, firstRows } from './data-feed'
import { batchOf, checkInputBytes, mergeSpecs, resolveInputs, specFor, specNames, type ResolvedInput, type ShapeRequest } from './input-spec'
import { readModelIo, tensorInfos, type ModelIo } from './model-io'
import type { BenchModel } from './run-bench'

export interface BenchPlanParams {
  readonly models: readonly BenchModel[]
  readonly options: BenchmarkOptions
}

export interface PlannedCell {
  /** Index into the plan's (and the request's) models. */
  readonly model: number
  readonly batch: number
  readonly threads: number
  readonly params: BenchModelParams
}

export interface BenchPlan {
  readonly models: readonly Pick<ModelIo, 'runtime' | 'sizeBytes'>[]
  readonly cells: readonly PlannedCell[]
}

/** Shapes a data set implies: one sample's for batched inputs; the whole tensor for unbatched ones (a scalar sample rate, a state). */
function dataShapes(data: TensorDataSet, spec: InputSpec): Pick<ShapeRequest, 'sampleShapes' | 'spec' | 'dataFile'> {
  const feed = data.batches[0] ?? {}
  const unbatched = new Set(data.unbatched ?? [])
  const sampleShapes = Object.fromEntries(Object.entries(feed).filter(([name]) => !unbatched.has(name)).map(([name, t]) => [name, t.dims.slice(1)]))
  const whole = Object.fromEntries(Object.entries(feed).filter(([name]) => unbatched.has(name)).map(([name, t]) => [name, t.dims]))
  return { sampleShapes, spec: { ...spec, shapes: { ...spec.shapes, ...whole } }, dataFile: data.source }
}

/**
 * Reads every model and data file and resolves every configuration's shapes and data; throws before any
 * configuration is timed.
 */
export async function planBench(params: BenchPlanParams, ctx: JobContext): Promise<BenchPlan> {
  const { models, options } = params
  ctx.progress(0, 'reading the models and data')
  const threadsList = options.threads ?? [1]
  const warmup = options.warmup ?? benchDefaults.warmup
  const timing = timingOf(options)
  const cells: PlannedCell[] = []
  const ios: ModelIo[] = []
  for (const model of models) ios.push(await readModelIo(model.path))
  // With several models, an option's input name applies to those that have the input; one that none has is a typo.
  const optionSpec: InputSpec = { ...(options.shapes ? { shapes: options.shapes } : {}), ...(options.ranges ? { ranges: options.ranges } : {}), ...(options.values ? { values: options.values } : {}) }
  const allInputs = ios.flatMap((io) => io.inputs)
  if (models.length > 1)
    for (const name of specNames(optionSpec))
      if (!allInputs.some((input) => input.name === name))
        throw new InputSpecError(`the inputs given name '${name}', which none of the models has`, [{ input: name, problem: 'none of the models has this input' }])
  for (const [index, model] of models.entries()) {
    const io = ios[index] as ModelIo
    const infos = tensorInfos(io)
    const spec = mergeSpecs(model.inputSpec, models.length === 1 ? optionSpec : specFor(optionSpec, io.inputs))
    const data = options.dataPath ? await loadTensorData(options.dataPath, infos, dataLoadOptions(options.data)) : undefined
    const request = { spec, ...(data ? dataShapes(data, spec) : {}) }
    const batches = options.batches ?? [undefined]
    for (const batch of batches) {
      const inputs: ResolvedInput[] = resolveInputs(model.label, io.inputs, { ...request, ...(batch === undefined ? {} : { batch }) })
      checkInputBytes(model.label, inputs)
      const effectiveBatch = batchOf(inputs)
      for (const threads of threadsList) {
        cells.push({
          model: index,
          batch: effectiveBatch,
          threads,
          params: {
            modelPath: model.path,
            inputs,
            threads,
            ...(options.graphOptimizationLevel ? { graphOptimizationLevel: options.graphOptimizationLevel } : {}),
            warmup,
            ...('iterations' in timing ? { iterations: timing.iterations } : { durationMs: timing.durationS * 1000, stableWithin: timing.stableWithin }),
            ...(data ? { feeds: firstRows(data, inputs) } : {}),
          },
        })
      }
    }
  }
  return { models: ios.map(({ runtime, sizeBytes }) => ({ runtime, sizeBytes })), cells }
}

