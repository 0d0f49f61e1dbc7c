// Benchmark, comparison and profile results: those stored with each model, refreshed when a job ends, and the
// comparison's settings (variants chosen per baseline, pick rule, sort).
import type { BenchmarkReport, BenchmarkResult, CompareReport, JobInfo, ModelId, ProfileResult, ReportFormat, StoredResult } from '../../preload/api'
import type { MetricKey, SortDirection } from '../compare/metrics'
import { defaultPickRule, type PickRule } from '../compare/pick-rule'
import type { SliceCreator } from './app-store'

export interface ResultsSlice {
  readonly results: Readonly<Record<ModelId, readonly StoredResult[]>>
  /** Variants chosen for comparison, by baseline id (absent: every descendant). */
  readonly compareChoice: Readonly<Record<ModelId, readonly ModelId[]>>
  readonly pickRule: PickRule
  readonly sort: { readonly key: MetricKey | 'name'; readonly direction: SortDirection } | null
  loadResults(ids: readonly ModelId[]): Promise<void>
  /** The text of a stored report as a CSV, Markdown or JSON file; undefined (and an error shown) when it fails. */
  exportResult(modelIds: readonly ModelId[], name: string, format: ReportFormat): Promise<string | undefined>
  /** A benchmark, compare or profile job ended: reload the results of the models it touched. */
  jobFinished(job: JobInfo): Promise<void>
  setCompareChoice(baselineId: ModelId, ids: readonly ModelId[]): void
  setPickRule(rule: PickRule): void
  sortBy(key: MetricKey | 'name'): void
}

/** Model ids a finished benchmark, comparison or profile mentions. */
export function modelsOfReport(result: unknown): ModelId[] {
  if (!result || typeof result !== 'object') return []
  const kind = (result as { kind?: string }).kind
  const ids =
    kind === 'benchmark'
      ? (result as BenchmarkReport).results.map((r) => r.modelId)
      : kind === 'compare'
        ? (result as CompareReport).variants.map((v) => v.modelId)
        : kind === 'profile'
          ? [(result as ProfileResult).modelId]
          : []
  return [...new Set(ids.filter((id): id is ModelId => id !== undefined))]
}

/** Every stored benchmark result of these models, oldest report first. */
export function storedBenchmarks(results: Readonly<Record<ModelId, readonly StoredResult[]>>, ids: readonly ModelId[]): BenchmarkResult[] {
  return ids
    .flatMap((id) => results[id] ?? [])
    .filter((r) => (r.value as { kind?: string }).kind === 'benchmark')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((r) => (r.value as BenchmarkReport).results)
}

/** The newest benchmark run stored with any of these models: its name and every model it is stored with. */
export function latestBenchmarkRun(
  results: Readonly<Record<ModelId, readonly StoredResult[]>>,
  ids: readonly ModelId[],
): { readonly name: string; readonly modelIds: readonly ModelId[] } | undefined {
  const runs = ids.flatMap((modelId) =>
    (results[modelId] ?? []).filter((r) => (r.value as { kind?: string }).kind === 'benchmark').map((r) => ({ modelId, name: r.name })),
  )
  const name = runs.map((r) => r.name).sort().at(-1)
  return name === undefined ? undefined : { name, modelIds: runs.filter((r) => r.name === name).map((r) => r.modelId) }
}

/** The newest per-operator profile stored with this model (what the profile panel and the graph's time overlay show). */
export function latestProfile(results: Readonly<Record<ModelId, readonly StoredResult[]>>, modelId: ModelId): ProfileResult | undefined {
  return (results[modelId] ?? [])
    .filter((r) => (r.value as { kind?: string }).kind === 'profile')
    .sort((a, b) => a.name.localeCompare(b.name))
    .at(-1)?.value as ProfileResult | undefined
}

/** The latest comparison against this baseline that covers any of the variants (merged per variant). */
export function latestComparison(results: Readonly<Record<ModelId, readonly StoredResult[]>>, baselineId: ModelId, variantIds: readonly ModelId[]): CompareReport | undefined {
  const reports = variantIds
    .flatMap((id) => results[id] ?? [])
    .map((r) => ({ name: r.name, report: r.value as CompareReport }))
    .filter(({ report }) => report.kind === 'compare' && report.baseline.modelId === baselineId)
    .sort((a, b) => a.name.localeCompare(b.name))
  const last = reports.at(-1)?.report
  if (!last) return undefined
  const byVariant = new Map(reports.flatMap(({ report }) => report.variants.map((v) => [v.modelId, v] as const)))
  return { ...last, variants: [...byVariant.values()] }
}

export const createResultsSlice: SliceCreator<ResultsSlice> = (bridge) => (set, get) => ({
  results: {},
  compareChoice: {},
  pickRule: defaultPickRule,
  sort: null,
  async loadResults(ids) {
    try {
      const loaded = await Promise.all(ids.map(async (id) => [id, await bridge.listResults(id)] as const))
      set((state) => ({ results: { ...state.results, ...Object.fromEntries(loaded) } }))
    } catch (error) {
      get().showError(error)
    }
  },
  async exportResult(modelIds, name, format) {
    try {
      return await bridge.exportResult(modelIds, name, format)
    } catch (error) {
      get().showError(error)
      return undefined
    }
  },
  async jobFinished(job) {
    if (job.state !== 'succeeded' || !['benchmark', 'compare', 'profile'].includes(job.kind)) return
    const report = job.result as Partial<CompareReport> | undefined
    const baseline = report?.kind === 'compare' ? report.baseline?.modelId : undefined
    await get().loadResults([...modelsOfReport(job.result), ...(baseline ? [baseline] : [])])
  },
  setCompareChoice: (baselineId, ids) => set((state) => ({ compareChoice: { ...state.compareChoice, [baselineId]: ids } })),
  setPickRule: (rule) => set({ pickRule: rule }),
  sortBy(key) {
    const sort = get().sort
    set({ sort: sort?.key === key ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: 'asc' } })
  },
})
