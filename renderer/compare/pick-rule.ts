// The pick rule ("fastest with accuracy drop ≤ 1 pt"): an objective and optional limits, applied to the
// comparison's rows. The baseline is a candidate too: when no variant qualifies, it wins.
import { formatBytes } from '../format'
import type { MetricKey, ModelMetrics } from './metrics'

export type Objective = 'p50Ms' | 'p99Ms' | 'throughput' | 'sizeBytes' | 'memoryBytes'

export interface PickRule {
  readonly objective: Objective
  /** Largest accepted accuracy drop in percentage points (top-1 disagreement when there are no labels). */
  readonly maxAccuracyDrop: number | null
  /** Largest accepted size, in bytes. */
  readonly maxSizeBytes: number | null
}

export const defaultPickRule: PickRule = { objective: 'p50Ms', maxAccuracyDrop: 1, maxSizeBytes: null }

export const objectiveWords: Readonly<Record<Objective, string>> = {
  p50Ms: 'fastest (p50)',
  p99Ms: 'lowest tail latency (p99)',
  throughput: 'highest throughput',
  sizeBytes: 'smallest',
  memoryBytes: 'least memory',
}

export function describeRule(rule: PickRule): string {
  const limits = [
    ...(rule.maxAccuracyDrop === null ? [] : [`accuracy drop ≤ ${rule.maxAccuracyDrop}%`]),
    ...(rule.maxSizeBytes === null ? [] : [`size ≤ ${formatBytes(rule.maxSizeBytes)}`]),
  ]
  return `${objectiveWords[rule.objective]}${limits.length > 0 ? ` with ${limits.join(' and ')}` : ''}`
}

/** Accuracy drop in points, or top-1 disagreement with the baseline in points when there are no labels. */
export function qualityDrop(row: ModelMetrics): number | undefined {
  if (row.isBaseline) return 0
  if (row.accuracyDrop !== undefined) return row.accuracyDrop
  return row.agreement === undefined ? undefined : (1 - row.agreement) * 100
}

export interface Pick {
  readonly winnerId: string | null
  /** Why, in words: the winner and its objective value, or why nothing qualified. */
  readonly reason: string
  readonly eligibleIds: readonly string[]
}

export function applyPickRule(rows: readonly ModelMetrics[], rule: PickRule): Pick {
  const key: MetricKey = rule.objective
  const eligible = rows.filter((row) => {
    if (row[key] === undefined) return false
    if (rule.maxSizeBytes !== null && row.sizeBytes > rule.maxSizeBytes) return false
    if (rule.maxAccuracyDrop === null) return true
    const drop = qualityDrop(row)
    return drop !== undefined && drop <= rule.maxAccuracyDrop
  })
  const better = (a: ModelMetrics, b: ModelMetrics): boolean => {
    const x = a[key] as number
    const y = b[key] as number
    return rule.objective === 'throughput' ? x > y : x < y
  }
  const winner = eligible.reduce<ModelMetrics | undefined>((best, row) => (best === undefined || better(row, best) ? row : best), undefined)
  if (!winner) {
    const measured = rows.some((row) => row[key] !== undefined)
    return {
      winnerId: null,
      reason: measured ? `no model meets "${describeRule(rule)}"` : 'run a benchmark (and a comparison for accuracy) to pick a winner',
      eligibleIds: [],
    }
  }
  return { winnerId: winner.id, reason: `${winner.name} is the ${describeRule(rule)}`, eligibleIds: eligible.map((row) => row.id) }
}
