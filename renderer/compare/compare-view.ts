// What the Compare tab shows, computed from typed inputs in one pure function: the rows (baseline first),
// the reference configuration, the benchmark results drawn, the pick rule's winner, the charts, and the
// hint that quantized variants are slower than float on this CPU (the pick's verdict says when a lead is
// within the noise). The component only renders this, and the exported report is made from the same view.
import type { BenchmarkResult, CompareReport, CpuDescription, ModelEntry, ModelId } from '../../preload/api'
import { reportsOf } from '../../preload/reports'
import { latencyAccuracyOption, latencyDistributionOption, latencySizeOption, shortName, throughputOption, type ChartTheme } from './chart-options'
import { isOnnxQuantized } from './lineage'
import type { ModelMetrics } from '../../preload/pick-rule'
import { compareMetrics, latestResults, referenceConfig, type BenchConfig } from './metrics'
import { pickVariant, type Pick, type PickRule } from '../../preload/pick-rule'
import { latestComparison, storedBenchmarks, type ResultsByModel } from './stored-results'

export interface CompareInputs {
  /** The baseline: the root of the family. */
  readonly root: ModelEntry
  /** The variants chosen for the comparison, in workspace order. */
  readonly variants: readonly ModelEntry[]
  /** Stored results by model (at least the baseline's and the chosen variants'). */
  readonly results: ResultsByModel
  readonly rule: PickRule
}

export interface ChartSpec {
  readonly id: string
  readonly title: string
  option(theme: ChartTheme): ReturnType<typeof throughputOption>
}

export interface CompareView {
  readonly rows: readonly ModelMetrics[]
  /** The batch and thread count the rows' latency, throughput and memory come from. */
  readonly config: BenchConfig | undefined
  /** The latest benchmark result of every shown model at every configuration measured. */
  readonly results: readonly BenchmarkResult[]
  readonly comparison: CompareReport | undefined
  readonly pick: Pick
  readonly winner: ModelMetrics | undefined
  readonly charts: readonly ChartSpec[]
  /** Quantized variants slower than float, and why that happens on this CPU; null when none is. */
  readonly int8Note: string | null
  /** The benchmark configuration and the data, in words, for the report. */
  readonly notes: readonly string[]
}

export function compareView({ root, variants, results: stored, rule }: CompareInputs): CompareView {
  const shown = new Set<ModelId>([root.id, ...variants.map((v) => v.id)])
  const results = latestResults(storedBenchmarks(stored, [...shown])).filter((r) => r.modelId !== undefined && shown.has(r.modelId))
  const comparison = latestComparison(stored, root.id, variants.map((v) => v.id))
  const config = referenceConfig(results)
  const rows = compareMetrics(root, variants, results, comparison, config)
  const pick = pickVariant(rows, rule)
  const winner = rows.find((r) => r.id === pick.winnerId)
  const names = new Map(rows.map((r) => [r.id, shortName(r.name, root.name)]))
  const atReference = results.filter((r) => config && r.batch === config.batch && r.threads === config.threads)
  const cpu = reportsOf(stored[root.id] ?? [], 'benchmark').at(-1)?.cpu
  const int8Note = slowerQuantizedNote(rows, [root, ...variants], cpu, root.name)
  return {
    rows,
    config,
    results,
    comparison,
    pick,
    winner,
    charts: [
      { id: 'latency-size', title: 'Latency vs size (Pareto front dashed)', option: (theme) => latencySizeOption(rows, pick.winnerId, theme) },
      { id: 'latency-accuracy', title: 'Latency vs accuracy drop (Pareto front dashed)', option: (theme) => latencyAccuracyOption(rows, pick.winnerId, theme) },
      { id: 'latency-distribution', title: `Latency distribution (batch ${config?.batch ?? 1})`, option: (theme) => latencyDistributionOption(atReference, names, theme) },
      { id: 'throughput', title: 'Throughput per batch size', option: (theme) => throughputOption(results, names, theme) },
    ],
    int8Note,
    notes: [
      ...(config ? [`Latency, throughput and memory at batch ${config.batch}, ${config.threads} thread${config.threads === 1 ? '' : 's'} (ONNX Runtime, CPU).`] : ['No benchmark yet.']),
      ...(comparison?.latency
        ? [`Latency ratios timed side by side: ${comparison.latency.rounds} rounds at batch ${comparison.latency.batch}, 1 thread, ${comparison.latency.stop === 'stable' ? `stable within ±${(comparison.latency.stableWithin * 100).toFixed(0)}%` : `stopped by the ${comparison.latency.budgetS} s budget`}; intervals are 95%.`]
        : []),
      ...(comparison
        ? [`Accuracy and fidelity on ${comparison.data.samples} samples of ${comparison.data.source.split(/[\\/]/).pop() ?? ''}${comparison.data.labels ? ' with labels' : ''}.`]
        : ['No accuracy comparison yet.']),
      ...(int8Note ? [int8Note] : []),
    ],
  }
}

/** Quantized variants slower than float are common (missing int8 kernels): say why, from the CPU facts. */
function slowerQuantizedNote(rows: readonly ModelMetrics[], models: readonly ModelEntry[], cpu: CpuDescription | undefined, rootName: string): string | null {
  const baselineP50 = rows.find((r) => r.isBaseline)?.p50Ms
  const quantized = new Set(models.filter((m) => isOnnxQuantized(m.lineage)).map((m) => m.id))
  const slower = rows.filter((r) => quantized.has(r.id) && r.p50Ms !== undefined && baselineP50 !== undefined && r.p50Ms > baselineP50)
  if (slower.length === 0 || !cpu) return null
  return (
    `${slower.map((r) => shortName(r.name, rootName)).join(', ')} ${slower.length === 1 ? 'is' : 'are'} slower than float on this CPU (${cpu.model}). ` +
    `Its int8 support: ${cpu.int8Note.replace(/\.$/, '')}. On small models the added Quantize/Dequantize steps can cost more than int8 arithmetic saves; benchmark at your batch size before choosing.`
  )
}
