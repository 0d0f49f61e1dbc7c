// Benchmark, comparison and profile results: those stored with each model, refreshed when a job ends, and the
// comparison's settings (variants chosen per baseline, pick rule, sort).
import type { BenchmarkReport, CompareReport, JobInfo, ModelId, ProfileResult, ReportFormat, StoredResult, TuneReport } from '../../preload/api'
import type { MetricKey, SortDirection } from '../compare/metrics'
import { defaultPickRule, type PickRule } from '../../preload/pick-rule'
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

/** Model ids a finished benchmark, comparison or profile mentions (a comparison's baseline included). */
export function modelsOfReport(report: BenchmarkReport | CompareReport | ProfileResult): ModelId[] {
  const ids =
    report.kind === 'benchmark'
      ? report.results.map((r) => r.modelId)
      : report.kind === 'compare'
        ? [report.baseline.modelId, ...report.variants.map((v) => v.modelId)]
        : [report.modelId]
  return [...new Set(ids.filter((id): id is ModelId => id !== undefined))]
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
    if (job.state !== 'succeeded' || !job.result) return
    // A search stores itself with the model, and its candidates' benchmarks and comparisons with each variant.
    if (job.kind === 'tune') {
      const report: TuneReport = job.result
      return get().loadResults([report.modelId, ...report.candidates.flatMap((c) => (c.modelId ? [c.modelId] : []))])
    }
    if (job.kind !== 'benchmark' && job.kind !== 'compare' && job.kind !== 'profile') return
    await get().loadResults(modelsOfReport(job.result))
  },
  setCompareChoice: (baselineId, ids) => set((state) => ({ compareChoice: { ...state.compareChoice, [baselineId]: ids } })),
  setPickRule: (rule) => set({ pickRule: rule }),
  sortBy(key) {
    const sort = get().sort
    set({ sort: sort?.key === key ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: 'asc' } })
  },
})
