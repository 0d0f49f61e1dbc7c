// Benchmarks models over batch × threads, one fresh worker process per configuration so that a crash,
// a time limit or a memory cap stops only that configuration and every peak-memory figure starts from
// an idle process. Everything a user can get wrong is checked before the first configuration is timed:
// the options here, the model and data files in a worker of their own ('bench-plan'), since reading a
// hostile file must crash only a worker.
import { totalmem } from 'node:os'
import type { BenchmarkFailure, BenchmarkOptions, BenchmarkReport, BenchmarkResult, InputSpec, ModelId } from '../../../preload/api'
import { CancelledError, errorMessage, InputSpecError, UserError } from '../errors'
import { runInWorker } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import type { BenchPlan, PlannedCell } from './bench-plan'
import { benchDefaults, timingOf } from './bench-settings'
import type { BenchModelResult } from './bench-task'
import { cpuInfo } from './cpu-info'
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

interface Cell extends Omit<PlannedCell, 'model'> {
  readonly model: BenchModel
  readonly io: BenchPlan['models'][number]
}

/** What the worker reading a benchmark's, comparison's or profile's files may take: a hostile file must not hang it or eat the machine. */
export function readingLimits(): { readonly timeLimitMs: number; readonly memoryCapBytes: number } {
  return { timeLimitMs: benchDefaults.timeLimitS * 1000, memoryCapBytes: defaultMemoryCapBytes() }
}

/** Without a cap, a runaway model could take the whole machine down with the app: 80% of RAM. */
export function defaultMemoryCapBytes(): number {
  return Math.floor(totalmem() * 0.8)
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
  checkOptions(options)
  if (models.length === 0) throw new UserError('give at least one model to benchmark')
  const timeLimitMs = (options.timeLimitS ?? benchDefaults.timeLimitS) * 1000
  const memoryCapBytes = options.memoryCapMb !== undefined ? options.memoryCapMb * 1048576 : defaultMemoryCapBytes()
  // Reading takes the default limits: the options' limits are what a configuration's run may take.
  const plan = await runInWorker(spawn, 'bench-plan', { models, options }, { ...(run.signal ? { signal: run.signal } : {}), ...readingLimits() })
  const cells: Cell[] = plan.cells.map((cell) => ({ ...cell, model: models[cell.model] as BenchModel, io: plan.models[cell.model] as Cell['io'] }))
  const cpu = await cpuInfo()
  const results: BenchmarkResult[] = []
  const failures: BenchmarkFailure[] = []
  let runtime = 'ONNX Runtime'
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
