// The results stored with models, read for the views: every benchmark result of a set of models, the newest
// benchmark run, and the latest comparison against a baseline (merged per variant).
import type { BenchmarkResult, CompareReport, ModelId, ProfileResult, StoredResult } from '../../preload/api'
import { resultsOf } from '../../preload/reports'

export type ResultsByModel = Readonly<Record<ModelId, readonly StoredResult[]>>

/** Every stored benchmark result of these models, oldest report first. */
export function storedBenchmarks(results: ResultsByModel, ids: readonly ModelId[]): BenchmarkResult[] {
  return resultsOf(
    ids.flatMap((id) => results[id] ?? []),
    'benchmark',
  )
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((r) => r.value.results)
}

/** The newest benchmark run stored with any of these models: its name and every model it is stored with. */
export function latestBenchmarkRun(
  results: ResultsByModel,
  ids: readonly ModelId[],
): { readonly name: string; readonly modelIds: readonly ModelId[] } | undefined {
  const runs = ids.flatMap((modelId) =>
    resultsOf(results[modelId] ?? [], 'benchmark').map((r) => ({ modelId, name: r.name })),
  )
  const name = runs.map((r) => r.name).sort().at(-1)
  return name === undefined ? undefined : { name, modelIds: runs.filter((r) => r.name === name).map((r) => r.modelId) }
}

/** The latest comparison against this baseline that covers any of the variants (merged per variant). */
export function latestComparison(results: ResultsByModel, baselineId: ModelId, variantIds: readonly ModelId[]): CompareReport | undefined {
  const reports = resultsOf(
    variantIds.flatMap((id) => results[id] ?? []),
    'compare',
  )
    .map((r) => ({ name: r.name, report: r.value }))
    .filter(({ report }) => report.baseline.modelId === baselineId)
    .sort((a, b) => a.name.localeCompare(b.name))
  const last = reports.at(-1)?.report
  if (!last) return undefined
  const byVariant = new Map(reports.flatMap(({ report }) => report.variants.map((v) => [v.modelId, v] as const)))
  return { ...last, variants: [...byVariant.values()] }
}

/** The newest per-operator profile stored with this model (what the profile panel and the graph's time overlay show). */
export function latestProfile(results: ResultsByModel, modelId: ModelId): ProfileResult | undefined {
  return resultsOf(results[modelId] ?? [], 'profile')
    .sort((a, b) => a.name.localeCompare(b.name))
    .at(-1)?.value
}
