// ECharts options for the comparison, as pure functions of the numbers, so the page and the exported report
// draw the same charts (the report renders them to SVG strings).
import type { BenchmarkResult } from '../../preload/api'
import type { ModelMetrics } from '../../preload/pick-rule'
import { paretoFront, type Point } from '../../preload/pareto'
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

/** Widest a model's name is drawn on a chart (longer ones end in an ellipsis; the tooltip has them whole). */
const LABEL_WIDTH = 180

/** Series colours that read on light and dark backgrounds and stay apart for the common colour blindnesses. */
const SERIES_COLORS = ['#4f7bea', '#e0892b', '#3aa57a', '#a463d9', '#d64f6a', '#4bb3c8', '#8a8f98']

function axis(theme: ChartTheme, name: string, extra: Option = {}): Option {
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    // The name is moved clear of the tick labels by ECharts (nameMoveOverlap), this far past them.
    nameGap: 10,
    nameMoveOverlap: true,
    nameTextStyle: { color: theme.muted },
    axisLabel: { color: theme.muted, hideOverlap: true },
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
    // The plot shrinks until its tick labels and axis names fit inside these bounds (ECharts' outerBounds).
    grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    legend: { top: 0, left: 0, type: 'scroll', textStyle: { color: theme.muted }, pageTextStyle: { color: theme.muted } },
  }
}

/**
 * ECharts' label layout for point labels: labels that would overlap are pushed apart vertically, keeping their
 * order, with a leader line back to their point; one that still cannot fit is hidden (its tooltip remains).
 * ECharts moves only labels not pinned to their point, so each is placed where ECharts itself put it.
 */
function spreadLabels(params: { labelRect: { x: number; y: number; height: number } }): Option {
  return { x: params.labelRect.x, y: params.labelRect.y + params.labelRect.height / 2, moveOverlap: 'shiftY', hideOverlap: true }
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
    tooltip: { trigger: 'item' },
    legend: { ...(base(theme).legend as Option), data: ['Pareto front'] },
    // Labels sit right of their points: room for them past the rightmost one, inside the plot.
    xAxis: axis(theme, xName, { boundaryGap: ['6%', '40%'] }),
    yAxis: axis(theme, yName, { boundaryGap: ['8%', '8%'] }),
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
        label: { show: true, position: 'right', distance: 6, color: theme.text, fontSize: 11, lineHeight: 14, width: LABEL_WIDTH, overflow: 'truncate', formatter: (p: { name: string }) => p.name },
        labelLayout: spreadLabels,
        labelLine: { show: true, length2: 4, lineStyle: { color: theme.muted, width: 1 } },
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

/** The latency (ms) below which a share q of the runs fell, read from the histogram (to a bin's width). */
export function histogramQuantile(histogram: BenchmarkResult['histogram'], q: number): number {
  const total = histogram.counts.reduce((sum, count) => sum + count, 0)
  let seen = 0
  for (const [i, count] of histogram.counts.entries()) {
    if (count > 0 && seen + count >= q * total) return histogram.startMs + (i + (q * total - seen) / count) * histogram.binWidthMs
    seen += count
  }
  return histogram.startMs + histogram.counts.length * histogram.binWidthMs
}

/**
 * One box per model at the reference configuration: the box holds the middle half of the runs (25th to 75th
 * percentile, from the histogram), the line in it is the median, the whiskers reach the fastest run and p99.
 * On a log scale: a slow tail (p99 often 10× the median on a busy machine) leaves the boxes readable.
 */
export function latencyDistributionOption(results: readonly BenchmarkResult[], names: ReadonlyMap<string, string>, theme: ChartTheme): Option {
  const rows = [...results].reverse()
  const ms = (value: number): string => `${value.toPrecision(3)} ms`
  return {
    ...base(theme),
    title: { text: 'box: middle half of the runs · whiskers: fastest to p99', top: 0, left: 0, textStyle: { color: theme.muted, fontSize: 12, fontWeight: 'normal' } },
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number[] }) =>
        `${p.name}<br/>fastest ${ms(p.value[1] as number)} · p25 ${ms(p.value[2] as number)}<br/>median ${ms(p.value[3] as number)} · p75 ${ms(p.value[4] as number)} · p99 ${ms(p.value[5] as number)}`,
    },
    xAxis: axis(theme, 'latency (ms, log scale)', { type: 'log', logBase: 10, scale: false, minorTick: { show: true }, minorSplitLine: { show: true, lineStyle: { color: theme.grid, opacity: 0.35 } } }),
    yAxis: {
      type: 'category',
      data: rows.map((r) => names.get(r.modelId ?? '') ?? r.model),
      axisLabel: { color: theme.text, width: LABEL_WIDTH, overflow: 'truncate' },
      axisLine: { lineStyle: { color: theme.grid } },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'boxplot',
        layout: 'horizontal',
        boxWidth: [8, 22],
        itemStyle: { color: `${theme.accent}33`, borderColor: theme.accent, borderWidth: 1.5 },
        data: rows.map((r, i) => ({
          value: [r.latencyMs.min, histogramQuantile(r.histogram, 0.25), r.latencyMs.p50, histogramQuantile(r.histogram, 0.75), r.latencyMs.p99],
          itemStyle: { borderColor: SERIES_COLORS[(rows.length - 1 - i) % SERIES_COLORS.length], color: `${SERIES_COLORS[(rows.length - 1 - i) % SERIES_COLORS.length]}33` },
        })),
      },
    ],
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
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', name: `batch size (${threads} thread${threads === 1 ? '' : 's'})`, nameLocation: 'middle', nameGap: 10, nameMoveOverlap: true, nameTextStyle: { color: theme.muted }, data: batches.map(String), axisLabel: { color: theme.muted } },
    yAxis: axis(theme, 'samples / s', { scale: false }),
    series: models.map((model) => ({
      name: names.get(model) ?? model,
      type: 'bar',
      barMaxWidth: 28,
      data: batches.map((batch) => at.find((r) => (r.modelId ?? r.model) === model && r.batch === batch)?.throughput.samplesPerSec ?? null),
    })),
  }
}
