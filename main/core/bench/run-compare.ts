// Runs a baseline and its variants on the same inputs, each in its own worker process, and measures how
// far every variant's outputs drift from the baseline's, plus top-1 accuracy when labels are given.
// Models, data, labels and their agreement are read and checked first, in a worker of their own
// ('compare-plan'), since reading a hostile file must crash only a worker; the engine gets plain data back.
import type { CompareOptions, CompareReport, CompareVariant, Estimate, ModelId, OutputFidelity, PairedLatency } from '../../../preload/api'
import { CancelledError, UserError } from '../errors'
import type { Feed } from '../data/load-tensors'
import { runInWorker, WorkerFailedError } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import { castFeeds } from '../data/cast-float'
import { correctness, countCorrect, discordantCounts, pairedDifferenceInterval, wilsonInterval } from './accuracy-interval'
import { argmaxRows, outputFidelity } from './fidelity'
import type { BenchPairedResult } from './bench-task'
import { formatDims } from '../../../preload/format'
import type { OutputValues } from './outputs-task'
import { pairedRatio, quantileEstimate, sortedCopy } from './statistics'
import { readingLimits, type BenchModel } from './run-bench'

export interface CompareRun {
  readonly signal?: AbortSignal
  onProgress?(fraction: number, stage: string, detail?: string): void
}

const DEFAULT_TIME_LIMIT_S = 600
/** Timing in alternation: at most 10 s, or until every p50 and ratio is within ±2%. */
export const pairedDefaults = { budgetS: 10, stableWithin: 0.02, warmup: 5 } as const

/** What the models' timed rounds say: each p50 and every later model's runs over every earlier one's. */
export function pairedLatency(keys: readonly string[], measured: BenchPairedResult, settings: Pick<PairedLatency, 'batch' | 'threads' | 'budgetS' | 'stableWithin'>): PairedLatency {
  const runs = measured.latenciesMs
  return {
    ...settings,
    rounds: runs[0]?.length ?? 0,
    stop: measured.stop,
    models: keys.map((key, i) => ({ key, p50Ms: quantileEstimate(sortedCopy(runs[i] ?? []), 0.5) ?? null })),
    ratios: keys.flatMap((of, a) => keys.slice(0, a).map((over, b) => ({ of, over, ratio: pairedRatio(runs[a] ?? [], runs[b] ?? []) ?? null }))),
  }
}

function samplesOf(values: OutputValues, fallback: number): number {
  return values.dims.length > 0 ? (values.dims[0] as number) : fallback
}

function isClassifier(values: OutputValues): boolean {
  return values.dims.length === 2 && (values.dims[1] as number) >= 2
}

export async function runComparison(
  spawn: SpawnWorker,
  baseline: BenchModel,
  variants: readonly BenchModel[],
  options: CompareOptions,
  run: CompareRun = {},
): Promise<CompareReport> {
  if (variants.length === 0) throw new UserError('give at least one variant to compare with the baseline')
  if (options.batch !== undefined && !(Number.isInteger(options.batch) && options.batch > 0))
    throw new UserError(`the batch size must be a positive whole number, not ${options.batch}`)
  const plan = await runInWorker(spawn, 'compare-plan', { models: [baseline, ...variants], options }, { ...(run.signal ? { signal: run.signal } : {}), ...readingLimits() })
  const { batches, labels, rows } = plan
  const budgetS = options.latencyBudgetS ?? pairedDefaults.budgetS
  const stableWithin = options.stableWithin ?? pairedDefaults.stableWithin
  if (!(budgetS >= 0) || !(stableWithin >= 0 && stableWithin < 1))
    throw new UserError('the timing budget must be ≥ 0 seconds and the stability target a fraction in [0, 1)')
  const steps = variants.length + 1 + (budgetS > 0 ? 1 : 0)

  const models = [baseline, ...variants]
  const outputs: Record<string, OutputValues>[] = []
  for (const [index, model] of models.entries()) {
    if (run.signal?.aborted) throw new CancelledError()
    const feeds: readonly Feed[] = index === 0 ? batches : castFeeds(batches, plan.models[index]?.inputs ?? [])
    const result = await runInWorker(spawn, 'model-outputs', { modelPath: model.path, batches: feeds }, {
      ...(run.signal ? { signal: run.signal } : {}),
      timeLimitMs: (options.timeLimitS ?? DEFAULT_TIME_LIMIT_S) * 1000,
      ...(options.memoryCapMb === undefined ? {} : { memoryCapBytes: options.memoryCapMb * 1048576 }),
      onProgress: (fraction, stage, detail) =>
        run.onProgress?.((index + fraction) / steps, stage, `${model.label}${detail ? ` · ${detail}` : ''}`),
    }).catch((error: unknown) => {
      // Errors from the task name the model file; a killed worker's do not.
      if (error instanceof WorkerFailedError) throw new WorkerFailedError(`${model.label}: ${error.message}`)
      throw error
    })
    outputs.push(result.outputs)
  }

  // Latency timed in alternation on the first sample (or the model's fixed batch), one thread.
  const { latencyBatch, timedFeed } = plan
  let latency: PairedLatency | undefined
  if (budgetS > 0 && timedFeed) {
    if (run.signal?.aborted) throw new CancelledError()
    const measured = await runInWorker(
      spawn,
      'bench-paired',
      {
        models: models.map((model, index) => ({ modelPath: model.path, feeds: index === 0 ? timedFeed : (castFeeds([timedFeed], plan.models[index]?.inputs ?? [])[0] as Feed) })),
        threads: 1,
        warmup: pairedDefaults.warmup,
        durationMs: budgetS * 1000,
        stableWithin,
      },
      {
        ...(run.signal ? { signal: run.signal } : {}),
        timeLimitMs: (options.timeLimitS ?? DEFAULT_TIME_LIMIT_S) * 1000,
        ...(options.memoryCapMb === undefined ? {} : { memoryCapBytes: options.memoryCapMb * 1048576 }),
        onProgress: (fraction, stage, detail) => run.onProgress?.((models.length + fraction) / steps, stage, `timing in alternation${detail ? ` · ${detail}` : ''}`),
      },
    )
    latency = pairedLatency(models.map(keyOf), measured, { batch: latencyBatch, threads: 1, budgetS, stableWithin })
  }
  const facts = (index: number): { sizeBytes: number; digest?: string } => {
    const { sizeBytes, digest } = plan.models[index] ?? { sizeBytes: 0 }
    return { sizeBytes, ...(digest ? { digest } : {}) }
  }

  const baseOutputs = outputs[0] as Record<string, OutputValues>
  const names = plan.outputs
  const primary = baseOutputs[names[0] as string]
  // Per-sample outcomes, so that a drop is measured on matched pairs.
  const outcomesOf = (values: Record<string, OutputValues>): Uint8Array | undefined => {
    const scores = values[names[0] as string]
    if (!labels || !scores || !isClassifier(scores)) return undefined
    return correctness(argmaxRows(scores.data, samplesOf(scores, rows)), labels)
  }
  const accuracyFacts = (right: Uint8Array | undefined): { accuracy?: number; accuracyInterval?: Estimate } => {
    if (!right) return {}
    const interval = wilsonInterval(countCorrect(right), right.length)
    return { accuracy: interval.value, accuracyInterval: interval }
  }
  const baselineOutcomes = outcomesOf(baseOutputs)
  const compared: CompareVariant[] = variants.map((variant, i) => {
    const own = outputs[i + 1] as Record<string, OutputValues>
    const fidelities: OutputFidelity[] = names.map((name) => {
      const a = baseOutputs[name] as OutputValues
      const b = own[name] as OutputValues
      if (a.data.length !== b.data.length)
        throw new UserError(`${variant.label}: output '${name}' has shape ${formatDims(b.dims)}, the baseline's ${formatDims(a.dims)}`)
      return outputFidelity({ output: name, baseline: a.data, variant: b.data, samples: samplesOf(a, rows), classifier: isClassifier(a) })
    })
    const outcomes = outcomesOf(own)
    const drop = outcomes && baselineOutcomes ? inPoints(pairedDifferenceInterval(discordantCounts(baselineOutcomes, outcomes))) : undefined
    return {
      model: variant.label,
      ...(variant.modelId ? { modelId: variant.modelId } : {}),
      ...facts(i + 1),
      ...accuracyFacts(outcomes),
      ...(drop ? { accuracyDropPoints: drop.value, accuracyDropInterval: drop } : {}),
      fidelity: fidelities[0] as OutputFidelity,
      outputs: fidelities,
    }
  })
  run.onProgress?.(1, 'done')
  const idOf = (model: BenchModel): { modelId?: ModelId } => (model.modelId ? { modelId: model.modelId } : {})
  return {
    kind: 'compare',
    createdAt: new Date().toISOString(),
    data: {
      source: options.dataPath,
      samples: primary ? samplesOf(primary, rows) : rows,
      ...(options.labelsPath ? { labels: options.labelsPath } : labels ? { labels: `${options.dataPath} (its own labels)` } : {}),
    },
    baseline: { model: baseline.label, ...idOf(baseline), ...facts(0), ...accuracyFacts(baselineOutcomes) },
    variants: compared,
    ...(latency ? { latency } : {}),
  }
}

/** How the paired timing names a model: its workspace id, else its label. */
export function keyOf(model: { readonly modelId?: ModelId; readonly label: string }): string {
  return model.modelId ?? model.label
}

function inPoints(e: Estimate): Estimate {
  return { value: e.value * 100, low: e.low * 100, high: e.high * 100 }
}
