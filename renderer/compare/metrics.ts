// The comparison's numbers per model (baseline first): inspection facts, the benchmark at one reference
// configuration, and accuracy/fidelity from a comparison run; with delta and ratio against the baseline.
import type { BenchmarkResult, CompareReport, ModelEntry } from '../../preload/api'
import { pairedTiming, type ModelMetrics } from '../../preload/pick-rule'

export type MetricKey = Exclude<
  keyof ModelMetrics,
  'id' | 'name' | 'recipe' | 'isBaseline' | 'intervals' | 'pairedP50' | 'digest' | 'parentId' | 'accuracyInterval' | 'accuracyDropInterval'
>

/** Whether a smaller value is better (latency, size) or a larger one (throughput, accuracy). */
export const lowerIsBetter: Readonly<Record<MetricKey, boolean>> = {
  sizeBytes: true,
  parameters: true,
  p50Ms: true,
  p99Ms: true,
  throughput: false,
  memoryBytes: true,
  accuracy: false,
  accuracyDrop: true,
  agreement: false,
  sqnrDb: false,
}

export interface BenchConfig {
  readonly batch: number
  readonly threads: number
}

/** The configuration every model is compared at: the smallest batch and thread count measured for all. */
export function referenceConfig(results: readonly BenchmarkResult[]): BenchConfig | undefined {
  if (results.length === 0) return undefined
  const batch = Math.min(...results.map((r) => r.batch))
  const threads = Math.min(...results.filter((r) => r.batch === batch).map((r) => r.threads))
  return { batch, threads }
}

/** The latest result per model and configuration (later entries win). */
export function latestResults(results: readonly BenchmarkResult[]): BenchmarkResult[] {
  const byKey = new Map<string, BenchmarkResult>()
  for (const result of results) byKey.set(`${result.modelId ?? result.model}|${result.batch}|${result.threads}`, result)
  return [...byKey.values()]
}

export function compareMetrics(
  baseline: ModelEntry,
  variants: readonly ModelEntry[],
  results: readonly BenchmarkResult[],
  compare: CompareReport | undefined,
  config: BenchConfig | undefined = referenceConfig(results),
): ModelMetrics[] {
  // The comparison's timing in alternation pairs the models' runs: it holds at its own configuration only.
  const latency = compare?.latency
  const paired = latency && (!config || (config.batch === latency.batch && config.threads === latency.threads)) ? latency : undefined
  return [baseline, ...variants].map((model) => {
    const bench = config && results.find((r) => r.modelId === model.id && r.batch === config.batch && r.threads === config.threads)
    const isBaseline = model.id === baseline.id
    const compared = compare?.variants.find((v) => v.modelId === model.id)
    const measuredBaseline = compare?.baseline.modelId === baseline.id ? compare.baseline : undefined
    const baselineAccuracy = measuredBaseline?.accuracy
    const timing = pairedTiming(paired, model.id)
    // Without a benchmark at this configuration, the p50 timed in alternation stands in.
    const p50 = bench ? bench.intervals?.p50Ms : timing.p50Ms
    return {
      id: model.id,
      name: model.name,
      recipe: model.lineage?.recipe ?? 'baseline',
      isBaseline,
      parentId: model.lineage?.parentId,
      sizeBytes: model.inspection?.sizeBytes ?? model.sizeBytes,
      parameters: model.inspection?.parameters.count,
      p50Ms: bench?.latencyMs.p50 ?? timing.p50Ms?.value,
      p99Ms: bench?.latencyMs.p99,
      throughput: bench?.throughput.samplesPerSec,
      memoryBytes: bench?.peakRssBytes,
      intervals: { ...bench?.intervals, ...(p50 ? { p50Ms: p50 } : {}) },
      pairedP50: timing.pairedP50,
      digest: isBaseline ? (compare?.baseline.modelId === model.id ? compare.baseline.digest : undefined) : compared?.digest,
      accuracy: isBaseline ? baselineAccuracy : compared?.accuracy,
      accuracyDrop: isBaseline ? (baselineAccuracy === undefined ? undefined : 0) : compared?.accuracyDropPoints,
      accuracyInterval: isBaseline ? measuredBaseline?.accuracyInterval : compared?.accuracyInterval,
      accuracyDropInterval: isBaseline ? undefined : compared?.accuracyDropInterval,
      agreement: isBaseline ? (compare ? 1 : undefined) : compared?.fidelity.top1Agreement,
      sqnrDb: isBaseline ? undefined : (compared?.fidelity.sqnrDb ?? undefined),
    }
  })
}

/** Value minus the baseline's; undefined when either is unknown. */
export function delta(value: number | undefined, base: number | undefined): number | undefined {
  return value === undefined || base === undefined ? undefined : value - base
}

/** Value over the baseline's; undefined when either is unknown or the baseline is 0. */
export function ratio(value: number | undefined, base: number | undefined): number | undefined {
  return value === undefined || base === undefined || base === 0 ? undefined : value / base
}

export type SortDirection = 'asc' | 'desc'

/** Sorted copy, the baseline always first; unknown values last whatever the direction. */
export function sortMetrics(rows: readonly ModelMetrics[], key: MetricKey | 'name', direction: SortDirection): ModelMetrics[] {
  const sign = direction === 'asc' ? 1 : -1
  const baseline = rows.filter((r) => r.isBaseline)
  const rest = rows.filter((r) => !r.isBaseline)
  rest.sort((a, b) => {
    if (key === 'name') return sign * a.name.localeCompare(b.name)
    const x = a[key]
    const y = b[key]
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : 1) : -1
    return sign * (x - y)
  })
  return [...baseline, ...rest]
}
