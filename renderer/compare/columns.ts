// The comparison's columns: label, how a value and its delta read, shared by the table and the exports.
import { formatBytes, formatCount } from '../format'
import type { MetricKey } from './metrics'

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

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(ratio >= 10 ? 1 : 2)}×`
}
