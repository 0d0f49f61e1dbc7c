// ECharts options for the comparison, as pure functions of the numbers, so the page and the exported report
// draw the same charts (the report renders them to SVG strings).
import type { BenchmarkResult } from '../../preload/api'
import type { ModelMetrics } from './metrics'
import { paretoFront, type Point } from './pareto'
import { dominatedIds, qualityDrop } from '../../preload/pick-rule'

export interface ChartTheme {
  readonly text: string
  readonly muted: string
  readonly grid: string
  readonly accent: string
  readonly winner: string
  readonly font: string
}

export const reportTheme: ChartTheme = { text: '#1f2328', muted: '#59636e', grid: '#d1d9e0', accent: '#2563eb', winner: '#d97706', font: 'system-ui, sans-serif' }

type Option = Record<string, unknown>

/** Series colours that read on light and dark backgrounds and stay apart for the common colour blindnesses. */
const SERIES_COLORS = ['#4f7bea', '#e0892b', '#3aa57a', '#a463d9', '#d64f6a', '#4bb3c8', '#8a8f98']

function axis(theme: ChartTheme, name: string, extra: Option = {}): Option {
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 30,
    nameTextStyle: { color: theme.muted },
    axisLabel: { color: theme.muted },
    axisLine: { lineStyle: { color: theme.grid } },
    splitLine: { lineStyle: { color: theme.grid, opacity: 0.6 } },
    scale: true,
    ...extra,
  }
}

function base(theme: ChartTheme): Option {
  return {
    animation: false,
    color: SERIES_COLORS,
    textStyle: { fontFamily: theme.font, color: theme.text },
    grid: { left: 16, right: 24, top: 28, bottom: 36, containLabel: true },
  }
}

/** A model's label on a chart: a variant's name without the baseline's name it starts with. */
export function shortName(name: string, baselineName: string): string {
  if (name === baselineName) return 'baseline'
  const rest = name.startsWith(baselineName) ? name.slice(baselineName.length).replace(/^[\s·:-]+/, '') : ''
  return rest || name
}

/** A scatter of the models with the Pareto front (both axes costs) as a line, the winner ringed, and variants dominated by their parent hollow. */
function tradeoff(theme: ChartTheme, rows: readonly (ModelMetrics & Point)[], winnerId: string | null, xName: string, yName: string): Option {
  const front = paretoFront(rows).map((i) => rows[i] as ModelMetrics & Point)
  const frontIds = new Set(front.map((r) => r.id))
  const dominated = dominatedIds(rows)
  const baselineName = rows.find((r) => r.isBaseline)?.name ?? ''
  return {
    ...base(theme),
    // containLabel leaves out the axis name: room for it on the left.
    grid: { left: 34, right: 40, top: 36, bottom: 36, containLabel: true },
    tooltip: { trigger: 'item' },
    legend: { top: 0, right: 0, textStyle: { color: theme.muted }, data: ['Pareto front'] },
    xAxis: axis(theme, xName),
    yAxis: axis(theme, yName, { nameGap: 50 }),
    series: [
      {
        name: 'Pareto front',
        type: 'line',
        data: front.map((r) => [r.x, r.y]),
        symbol: 'none',
        lineStyle: { color: theme.accent, type: 'dashed', width: 1.5 },
        z: 1,
      },
      {
        name: 'models',
        type: 'scatter',
        data: rows.map((r) => ({
          value: [r.x, r.y],
          name: `${shortName(r.name, baselineName)}${dominated.has(r.id) ? ' (dominated)' : ''}`,
          symbolSize: r.id === winnerId ? 18 : 11,
          itemStyle: dominated.has(r.id)
            ? { color: 'transparent', borderColor: theme.muted, borderWidth: 1.5 }
            : {
                color: r.id === winnerId ? theme.winner : frontIds.has(r.id) ? theme.accent : theme.muted,
                borderColor: r.id === winnerId ? theme.text : 'transparent',
                borderWidth: r.id === winnerId ? 2 : 0,
              },
        })),
        label: { show: true, position: 'top', distance: 8, color: theme.text, fontSize: 11, formatter: (p: { name: string }) => p.name },
        labelLayout: { hideOverlap: true },
        z: 2,
      },
    ],
  }
}

export function latencySizeOption(rows: readonly ModelMetrics[], winnerId: string | null, theme: ChartTheme): Option {
  const points = rows.filter((r) => r.p50Ms !== undefined).map((r) => ({ ...r, x: r.sizeBytes / 1024, y: r.p50Ms as number }))
  return tradeoff(theme, points, winnerId, 'size (KiB)', 'p50 latency (ms)')
}

export function latencyAccuracyOption(rows: readonly ModelMetrics[], winnerId: string | null, theme: ChartTheme): Option {
  const points = rows
    .filter((r) => r.p50Ms !== undefined && qualityDrop(r) !== undefined)
    .map((r) => ({ ...r, x: qualityDrop(r) as number, y: r.p50Ms as number }))
  const labelled = rows.some((r) => !r.isBaseline && r.accuracyDrop !== undefined)
  return tradeoff(theme, points, winnerId, labelled ? 'accuracy drop (points)' : 'top-1 disagreement with baseline (%)', 'p50 latency (ms)')
}

/** Latency histograms (one line per model) at the reference configuration, up to the slowest p99. */
export function latencyDistributionOption(results: readonly BenchmarkResult[], names: ReadonlyMap<string, string>, theme: ChartTheme): Option {
  const p99 = Math.max(0, ...results.map((r) => r.latencyMs.p99))
  return {
    ...base(theme),
    grid: { left: 16, right: 24, top: 48, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: theme.muted } },
    xAxis: axis(theme, 'latency (ms), outliers past the slowest p99 cut', { min: 0, max: Number((p99 * 1.1).toPrecision(2)) }),
    yAxis: axis(theme, 'runs', { nameGap: 44, scale: false }),
    series: results.map((r) => ({
      name: names.get(r.modelId ?? '') ?? r.model,
      type: 'line',
      step: 'middle',
      symbol: 'none',
      areaStyle: { opacity: 0.12 },
      data: r.histogram.counts.map((count, i) => [r.histogram.startMs + (i + 0.5) * r.histogram.binWidthMs, count]),
    })),
  }
}

/** Samples per second for each batch size, one bar per model (at the smallest thread count measured). */
export function throughputOption(results: readonly BenchmarkResult[], names: ReadonlyMap<string, string>, theme: ChartTheme): Option {
  const threads = results.length === 0 ? 1 : Math.min(...results.map((r) => r.threads))
  const at = results.filter((r) => r.threads === threads)
  const batches = [...new Set(at.map((r) => r.batch))].sort((a, b) => a - b)
  const models = [...new Set(at.map((r) => r.modelId ?? r.model))]
  return {
    ...base(theme),
    grid: { left: 16, right: 24, top: 48, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { color: theme.muted } },
    xAxis: { type: 'category', name: `batch size (${threads} thread${threads === 1 ? '' : 's'})`, nameLocation: 'middle', nameGap: 30, nameTextStyle: { color: theme.muted }, data: batches.map(String), axisLabel: { color: theme.muted } },
    yAxis: axis(theme, 'samples / s', { nameGap: 62, scale: false }),
    series: models.map((model) => ({
      name: names.get(model) ?? model,
      type: 'bar',
      barMaxWidth: 28,
      data: batches.map((batch) => at.find((r) => (r.modelId ?? r.model) === model && r.batch === batch)?.throughput.samplesPerSec ?? null),
    })),
  }
}
