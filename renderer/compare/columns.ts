// The comparison's columns: label, how a value and its delta read, shared by the table and the exports.
import { compareOn, formatRatioEstimate, type Objective, type ObjectiveMargin } from '../../preload/pick-rule'
import type { Estimate } from '../../preload/api'
import { halfWidth } from '../../preload/format'
import { formatBytes, formatCount } from '../format'
import type { ModelMetrics } from '../../preload/pick-rule'
import { ratio, type MetricKey } from './metrics'

export interface Column {
  readonly key: MetricKey
  readonly label: string
  format(value: number): string
  /** Signed difference against the baseline, in the column's unit. */
  formatDelta(delta: number): string
}

const sign = (value: number, text: string): string => (value > 0 ? `+${text}` : value < 0 ? `−${text.replace(/^-/, '')}` : text)
const ms = (v: number): string => (Math.abs(v) < 10 ? v.toFixed(3) : v.toFixed(1))
const pct = (v: number): string => `${(v * 100).toFixed(2)}%`

export const columns: readonly Column[] = [
  { key: 'sizeBytes', label: 'Size', format: formatBytes, formatDelta: (d) => sign(d, formatBytes(Math.abs(d))) },
  { key: 'parameters', label: 'Params', format: formatCount, formatDelta: (d) => sign(d, formatCount(Math.abs(d))) },
  { key: 'p50Ms', label: 'p50 ms', format: ms, formatDelta: (d) => sign(d, ms(d)) },
  { key: 'p99Ms', label: 'p99 ms', format: ms, formatDelta: (d) => sign(d, ms(d)) },
  { key: 'throughput', label: 'Samples/s', format: (v) => v.toFixed(0), formatDelta: (d) => sign(d, d.toFixed(0)) },
  { key: 'memoryBytes', label: 'Peak memory', format: formatBytes, formatDelta: (d) => sign(d, formatBytes(Math.abs(d))) },
  { key: 'accuracy', label: 'Accuracy', format: pct, formatDelta: (d) => sign(d, `${(d * 100).toFixed(2)} pt`) },
  { key: 'agreement', label: 'Top-1 agreement', format: pct, formatDelta: (d) => sign(d, `${(d * 100).toFixed(2)} pt`) },
]

const timedOrSized: ReadonlySet<MetricKey> = new Set<Objective>(['p50Ms', 'p99Ms', 'throughput', 'sizeBytes', 'memoryBytes'])

/**
 * A row's value over the baseline's as shown: timed metrics with their uncertainty (paired runs, else each
 * one's interval; "± ?" when none was measured), sizes and counts exact. Accuracy reads in points, not as a ratio.
 */
export function ratioText(row: ModelMetrics, baseline: ModelMetrics | undefined, key: MetricKey): string | undefined {
  if (!baseline || row.isBaseline) return undefined
  if (key === 'parameters') {
    const r = ratio(row.parameters, baseline.parameters)
    return r === undefined ? undefined : formatRatioEstimate({ ratio: r })
  }
  const margin = baselineMargin(row, baseline, key)
  return margin && `${formatRatioEstimate(margin)}${margin.basis === 'unknown' ? ' ± ?' : ''}`
}

/**
 * The uncertainty of an accuracy, in points: of the value (its own 95% interval) and of its change against
 * the baseline (paired per sample, so narrower than the two intervals together). Undefined for other columns.
 */
export function accuracySpread(row: ModelMetrics, key: MetricKey): { readonly value?: string; readonly delta?: string } | undefined {
  if (key !== 'accuracy') return undefined
  const points = (e: Estimate, scale: number): string => `± ${(halfWidth(e) * scale).toFixed(2)}`
  return {
    ...(row.accuracyInterval ? { value: points(row.accuracyInterval, 100) } : {}),
    ...(row.accuracyDropInterval ? { delta: points(row.accuracyDropInterval, 1) } : {}),
  }
}

/** A timed or sized metric of a variant over the baseline's, with its uncertainty; undefined otherwise. */
export function baselineMargin(row: ModelMetrics, baseline: ModelMetrics | undefined, key: MetricKey): ObjectiveMargin | undefined {
  if (!baseline || row.isBaseline || !timedOrSized.has(key)) return undefined
  const margin = compareOn(row, baseline, key as Objective)
  return Number.isNaN(margin.ratio) ? undefined : margin
}
