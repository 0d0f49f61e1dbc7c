// Benchmarks models over batch × threads, one fresh worker process per configuration so that a crash,
// a time limit or a memory cap stops only that configuration and every peak-memory figure starts from
// an idle process. Everything a user can get wrong is checked before the first worker starts.
import { totalmem } from 'node:os'
import type {
  BenchmarkFailure,
  BenchmarkOptions,
  BenchmarkReport,
  BenchmarkResult,
  InputSpec,
  ModelId,
  TensorInfo,
} from '../../../preload/api'
import { CancelledError, errorMessage, InputSpecError, UserError } from '../errors'
import { loadTensorData, type TensorDataSet } from '../data/load-tensors'
import { runInWorker } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import type { BenchModelParams, BenchModelResult } from './bench-task'
import { cpuInfo } from './cpu-info'
import { dataLoadOptions, firstRows } from './data-feed'
import { batchOf, checkInputBytes, mergeSpecs, resolveInputs, specFor, specNames, type ResolvedInput, type ShapeRequest } from './input-spec'
import { readModelIo, type ModelIo } from './model-io'
import { histogram, meanEstimate, noiseWarning, quantileEstimate, sortedCopy, summarize } from './statistics'
import { sweetSpots } from './sweep'

export interface BenchModel {
  readonly path: string
  /** Shown in reports: the workspace name, or the path. */
  readonly label: string
  readonly modelId?: ModelId
  /** What the model's inputs are (its workspace entry's spec); the options' shapes, ranges and values win. */
  readonly inputSpec?: InputSpec
}

export interface BenchRun {
  readonly signal?: AbortSignal
  onProgress?(fraction: number, stage: string, detail?: string): void
  /** Called after each configuration with every result so far (live plots). */
  onResult?(results: readonly BenchmarkResult[]): void
}

/** Without a run count, each configuration is timed until its median's 95% interval is within ±2%, for at most 10 s. */
export const benchDefaults = { warmup: 10, durationS: 10, stableWithin: 0.02, timeLimitS: 600 } as const

/** Without a cap, a runaway model could take the whole machine down with the app: 80% of RAM. */
export function defaultMemoryCapBytes(): number {
  return Math.floor(totalmem() * 0.8)
}

interface Cell {
  readonly model: BenchModel
  readonly io: ModelIo
  readonly batch: number
  readonly threads: number
  readonly params: BenchModelParams
}

export function tensorInfos(io: ModelIo): TensorInfo[] {
  return io.inputs.map((input) => ({ name: input.name, dtype: input.dtype, shape: input.dims ?? [] }))
}

function checkOptions(options: BenchmarkOptions): void {
  const positive = (value: number | undefined, what: string, integer = true): void => {
    if (value !== undefined && (!(value > 0) || (integer && !Number.isInteger(value))))
      throw new UserError(`${what} must be a positive ${integer ? 'whole ' : ''}number, not ${value}`)
  }
  if (options.iterations !== undefined && options.durationS !== undefined)
    throw new UserError('give either a number of iterations or a duration, not both')
  positive(options.iterations, 'iterations')
  positive(options.durationS, 'duration', false)
  if (options.stableWithin !== undefined && !(options.stableWithin >= 0 && options.stableWithin < 1))
    throw new UserError(`the stability target must be a fraction in [0, 1), not ${options.stableWithin}`)
  positive(options.latencyCapMs, 'the latency cap', false)
  positive(options.timeLimitS, 'the time limit', false)
  positive(options.memoryCapMb, 'the memory cap', false)
  if (options.warmup !== undefined && (!Number.isInteger(options.warmup) || options.warmup < 0))
    throw new UserError(`warm-up must be a whole number ≥ 0, not ${options.warmup}`)
  for (const value of [...(options.batches ?? []), ...(options.threads ?? [])]) positive(value, 'batch sizes and thread counts')
  for (const [name, range] of Object.entries(options.ranges ?? {}))
    if (!(range.low <= range.high)) throw new UserError(`the value range of '${name}' is empty (${range.low} > ${range.high})`)
}

/** Shapes a data set implies: one sample's for batched inputs; the whole tensor for unbatched ones (a scalar sample rate, a state). */
function dataShapes(data: TensorDataSet, spec: InputSpec): Pick<ShapeRequest, 'sampleShapes' | 'spec' | 'dataFile'> {
  const feed = data.batches[0] ?? {}
  const unbatched = new Set(data.unbatched ?? [])
  const sampleShapes = Object.fromEntries(Object.entries(feed).filter(([name]) => !unbatched.has(name)).map(([name, t]) => [name, t.dims.slice(1)]))
  const whole = Object.fromEntries(Object.entries(feed).filter(([name]) => unbatched.has(name)).map(([name, t]) => [name, t.dims]))
  return { sampleShapes, spec: { ...spec, shapes: { ...spec.shapes, ...whole } }, dataFile: data.source }
}

/** Exactly the runs asked for, or the adaptive stop within a time budget. */
function timingOf(options: BenchmarkOptions): { readonly iterations: number } | { readonly durationS: number; readonly stableWithin: number } {
  if (options.iterations !== undefined) return { iterations: options.iterations }
  return { durationS: options.durationS ?? benchDefaults.durationS, stableWithin: options.stableWithin ?? benchDefaults.stableWithin }
}

/** Reads every model and data file and resolves every configuration's shapes; throws before any work. */
async function plan(models: readonly BenchModel[], options: BenchmarkOptions): Promise<Cell[]> {
  checkOptions(options)
  if (models.length === 0) throw new UserError('give at least one model to benchmark')
  const threadsList = options.threads ?? [1]
  const warmup = options.warmup ?? benchDefaults.warmup
  const timing = timingOf(options)
  const cells: Cell[] = []
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
          model,
          io,
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
  return cells
}

function toResult(cell: Cell, measured: BenchModelResult): BenchmarkResult {
  const stats = summarize(measured.latenciesMs)
  const hist = histogram(measured.latenciesMs)
  const inferencesPerSec = stats.mean > 0 ? 1000 / stats.mean : 0
  const warning = noiseWarning(stats)
  const sorted = sortedCopy(measured.latenciesMs)
  const p50 = quantileEstimate(sorted, 0.5)
  const p99 = quantileEstimate(sorted, 0.99)
  const meanMs = meanEstimate(measured.latenciesMs)
  // Samples per second from the mean latency: its interval's ends swap (a longer run is fewer per second).
  const perSec = (ms: number): number => (ms > 0 ? (1000 / ms) * cell.batch : Number.POSITIVE_INFINITY)
  const throughput = meanMs && meanMs.low > 0 ? { value: perSec(meanMs.value), low: perSec(meanMs.high), high: perSec(meanMs.low) } : undefined
  return {
    model: cell.model.label,
    ...(cell.model.modelId ? { modelId: cell.model.modelId } : {}),
    batch: cell.batch,
    threads: cell.threads,
    inputs: cell.params.inputs.map((i) => ({ name: i.name, dtype: i.dtype, shape: i.shape })),
    iterations: stats.count,
    latencyMs: { mean: stats.mean, p50: stats.p50, p90: stats.p90, p95: stats.p95, p99: stats.p99, min: stats.min, max: stats.max, stdDev: stats.stdDev },
    cv: stats.cv,
    throughput: { inferencesPerSec, samplesPerSec: inferencesPerSec * cell.batch },
    runtime: measured.runtime,
    sessionCreateMs: measured.sessionCreateMs,
    firstRunMs: measured.firstRunMs,
    peakRssBytes: measured.peakRssBytes,
    sizeBytes: cell.io.sizeBytes,
    histogram: { startMs: hist.start, binWidthMs: hist.binWidth, counts: hist.counts },
    ...(warning ? { noiseWarning: warning } : {}),
    intervals: { ...(p50 ? { p50Ms: p50 } : {}), ...(p99 ? { p99Ms: p99 } : {}), ...(throughput ? { throughput } : {}) },
    stop: measured.stop,
  }
}

function configName(config: { readonly batch: number; readonly threads: number }): string {
  return `batch ${config.batch} · ${config.threads} thread${config.threads > 1 ? 's' : ''}`
}

export async function runBenchmarks(
  spawn: SpawnWorker,
  models: readonly BenchModel[],
  options: BenchmarkOptions,
  run: BenchRun = {},
): Promise<BenchmarkReport> {
  const cells = await plan(models, options)
  const cpu = await cpuInfo()
  const results: BenchmarkResult[] = []
  const failures: BenchmarkFailure[] = []
  let runtime = 'ONNX Runtime'
  const timeLimitMs = (options.timeLimitS ?? benchDefaults.timeLimitS) * 1000
  const memoryCapBytes = options.memoryCapMb !== undefined ? options.memoryCapMb * 1048576 : defaultMemoryCapBytes()
  const unloadable = new Map<BenchModel, string>()
  let firstError: unknown
  for (const [index, cell] of cells.entries()) {
    if (run.signal?.aborted) throw new CancelledError()
    const where = `${cell.model.label} · ${configName(cell)}`
    const failure = (error: string): BenchmarkFailure => ({
      model: cell.model.label,
      ...(cell.model.modelId ? { modelId: cell.model.modelId } : {}),
      batch: cell.batch,
      threads: cell.threads,
      error,
    })
    const loadError = unloadable.get(cell.model)
    if (loadError !== undefined) {
      failures.push(failure(loadError))
      continue
    }
    try {
      const measured = await runInWorker(spawn, 'bench-model', cell.params, {
        ...(run.signal ? { signal: run.signal } : {}),
        flags: { smallYoungGeneration: cell.io.runtime === 'onnx' },
        timeLimitMs,
        memoryCapBytes,
        onProgress: (fraction, stage, detail) =>
          run.onProgress?.((index + fraction) / cells.length, stage, `${where}${detail ? ` · ${detail}` : ''}`),
      })
      runtime = measured.runtime
      results.push(toResult(cell, measured))
      run.onResult?.(results)
    } catch (error) {
      if (error instanceof CancelledError || run.signal?.aborted) throw new CancelledError()
      if (error instanceof Error && error.name === 'ModelLoadError') unloadable.set(cell.model, errorMessage(error))
      firstError ??= error
      failures.push(failure(errorMessage(error)))
    }
  }
  if (results.length === 0 && failures.length > 0) {
    const first = failures[0] as BenchmarkFailure
    const message = `${first.model}: ${first.error}`
    // The facts stay the first error's: the UI words it from them (the CLI prints the message, model first).
    const facts = firstError instanceof UserError ? firstError.facts : {}
    throw firstError instanceof InputSpecError ? new InputSpecError(message, firstError.inputProblems, facts) : new UserError(message, facts)
  }
  const warnings = [
    ...results.flatMap((r) => (r.noiseWarning ? [`${r.model} (${configName(r)}): ${r.noiseWarning}`] : [])),
    ...failures.map((f) => `${f.model} (${configName(f)}) failed: ${f.error}`),
  ]
  return {
    kind: 'benchmark',
    createdAt: new Date().toISOString(),
    runtime,
    cpu,
    settings: {
      warmup: options.warmup ?? benchDefaults.warmup,
      ...timingOf(options),
      batches: [...new Set(cells.map((c) => c.batch))],
      threads: options.threads ?? [1],
      ...(options.latencyCapMs === undefined ? {} : { latencyCapMs: options.latencyCapMs }),
      ...(options.dataPath ? { data: options.dataPath } : {}),
    },
    results,
    failures,
    sweetSpots: sweetSpots(results, options.latencyCapMs),
    warnings,
  }
}
