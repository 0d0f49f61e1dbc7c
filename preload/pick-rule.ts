// The pick rule ("fastest with accuracy drop ≤ 1 pt") and its verdict: the one implementation behind the
// Compare tab, the exported report, `slipway compare` and `slipway tune`. A winner must beat the runner-up
// beyond the measurements' uncertainty; otherwise the tie goes to the smaller model, then the more accurate
// one, and models that still cannot be told apart (byte-identical copies) are not. A limit or an objective
// not measured yet for a model that could still win makes the verdict pending. Pure, tested directly.
import type { CompareReport, Estimate, ModelId, PairedLatency } from './api'
import { formatBytes, halfWidth } from './format'

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

const metricWords: Readonly<Record<Objective, string>> = {
  p50Ms: 'p50 latency',
  p99Ms: 'p99 latency',
  throughput: 'throughput',
  sizeBytes: 'size',
  memoryBytes: 'peak memory',
}

export function describeRule(rule: PickRule): string {
  const limits = [
    ...(rule.maxAccuracyDrop === null ? [] : [`accuracy drop ≤ ${rule.maxAccuracyDrop}%`]),
    ...(rule.maxSizeBytes === null ? [] : [`size ≤ ${formatBytes(rule.maxSizeBytes)}`]),
  ]
  return `${objectiveWords[rule.objective]}${limits.length > 0 ? ` with ${limits.join(' and ')}` : ''}`
}

/** What the rule reads of a model. Latency and throughput come from one configuration (batch, threads). */
export interface PickCandidate {
  readonly id: string
  readonly name: string
  readonly isBaseline: boolean
  readonly sizeBytes: number
  readonly p50Ms: number | undefined
  readonly p99Ms: number | undefined
  /** Samples per second. */
  readonly throughput: number | undefined
  readonly memoryBytes: number | undefined
  /** Top-1 accuracy, 0..1, when the comparison had labels. */
  readonly accuracy: number | undefined
  /** Baseline accuracy minus this one's, in percentage points (0 for the baseline). */
  readonly accuracyDrop: number | undefined
  /** Share of samples whose top-1 class agrees with the baseline's, 0..1. */
  readonly agreement: number | undefined
  /** 95% intervals of the timed metrics, when the measurement gave them. */
  readonly intervals?: Readonly<Partial<Record<'p50Ms' | 'p99Ms' | 'throughput', Estimate>>> | undefined
  /** This model's p50 over another's, from runs timed in alternation, by the other's id. */
  readonly pairedP50?: Readonly<Record<string, Estimate>> | undefined
  /** Digest of the model's bytes: models with equal digests are the same model and are never told apart. */
  readonly digest?: string | undefined
  /** The model this variant was made from, when it is a variant. */
  readonly parentId?: string | undefined
}

/** A model's row in the comparison and in a search's results: the rule's facts plus what the table shows. */
export interface ModelMetrics extends PickCandidate {
  readonly id: ModelId
  readonly recipe: string
  readonly parameters: number | undefined
  readonly sqnrDb: number | undefined
  /** 95% interval of the accuracy (0..1), and of its change against the baseline in points (paired per sample). */
  readonly accuracyInterval?: Estimate | undefined
  readonly accuracyDropInterval?: Estimate | undefined
}

/** Accuracy drop in points, or top-1 disagreement with the baseline in points when there are no labels. */
export function qualityDrop(row: PickCandidate): number | undefined {
  if (row.isBaseline) return 0
  if (row.accuracyDrop !== undefined) return row.accuracyDrop
  return row.agreement === undefined ? undefined : (1 - row.agreement) * 100
}

/**
 * winner: better than the runner-up beyond the uncertainty. tie-break: not, and the smaller (then more
 * accurate) model of those tied was taken. no-difference: the tied models are equally small and accurate.
 * pending: a model that could win lacks a measurement the rule needs. none: no model meets the limits.
 */
export type Verdict = 'winner' | 'tie-break' | 'no-difference' | 'pending' | 'none'

/** The verdict in a few words, for a heading: the reason says the rest. */
export const verdictWords: Readonly<Record<Verdict, string>> = {
  winner: 'Winner',
  'tie-break': 'Winner on the tie-break',
  'no-difference': 'No significant difference',
  pending: 'Pending',
  none: 'No model qualifies',
}

/** One model's objective against another's, as a ratio (a over b) with what is known of its uncertainty. */
export interface ObjectiveMargin {
  readonly versusId: string
  readonly ratio: number
  /** The ratio's 95% interval, when the measurements gave one. */
  readonly low?: number
  readonly high?: number
  /** paired: runs timed in alternation; intervals: from each model's own interval; exact: sizes; identical: same bytes. */
  readonly basis: 'paired' | 'intervals' | 'exact' | 'resolution' | 'identical' | 'unknown'
  /** Whether the first model is better beyond the uncertainty. */
  readonly significant: boolean
}

export interface PickMargins {
  /** The pick (or the best model, when none is picked) against its closest contender on the objective. */
  readonly objective?: ObjectiveMargin
  /** Accuracy-drop budget left, in points (limit − drop). */
  readonly accuracyDropPoints?: number
  /** Size budget left, in bytes. */
  readonly sizeBytes?: number
}

export interface Pick {
  readonly verdict: Verdict
  readonly winnerId: string | null
  /** Why, in words. */
  readonly reason: string
  /** Models that meet every limit, measured. */
  readonly eligibleIds: readonly string[]
  /** Models the objective does not tell apart from the best (the best first). */
  readonly tiedIds: readonly string[]
  /** The best eligible model after the pick on the objective, if any. */
  readonly runnerUpId: string | null
  readonly margins: PickMargins
}

/** Differences smaller than this are not called, however narrow the interval: systematic effects (memory placement, caches) reach it. */
export const minimumEffect = 0.01
/** Peak memory is measured once per model: differences under this are within its run-to-run spread. */
export const memoryResolution = 0.05

const lowerIsBetter = (objective: Objective): boolean => objective !== 'throughput'

/** a's objective over b's, with the uncertainty the measurements carry and whether a is better beyond it. */
export function compareOn(a: PickCandidate, b: PickCandidate, objective: Objective): ObjectiveMargin {
  const x = a[objective]
  const y = b[objective]
  const ratio = x !== undefined && y !== undefined && y !== 0 ? x / y : Number.NaN
  const base = { versusId: b.id, ratio }
  if (a.digest !== undefined && a.digest === b.digest) return { ...base, ratio: 1, low: 1, high: 1, basis: 'identical', significant: false }
  if (Number.isNaN(ratio)) return { ...base, basis: 'unknown', significant: false }
  const better = lowerIsBetter(objective)
  if (objective === 'sizeBytes') return { ...base, basis: 'exact', significant: better ? ratio < 1 : ratio > 1 }
  if (objective === 'memoryBytes')
    return { ...base, low: ratio * (1 - memoryResolution), high: ratio * (1 + memoryResolution), basis: 'resolution', significant: ratio < 1 - memoryResolution }
  const beyond = (low: number, high: number): boolean =>
    better ? high < 1 && ratio <= 1 - minimumEffect : low > 1 && ratio >= 1 + minimumEffect
  const paired = objective === 'p50Ms' ? a.pairedP50?.[b.id] : undefined
  const reverse = objective === 'p50Ms' ? b.pairedP50?.[a.id] : undefined
  if (paired) return { ...base, ratio: paired.value, low: paired.low, high: paired.high, basis: 'paired', significant: beyondPaired(paired, better) }
  if (reverse) {
    const flipped = { value: 1 / reverse.value, low: 1 / reverse.high, high: 1 / reverse.low }
    return { ...base, ratio: flipped.value, low: flipped.low, high: flipped.high, basis: 'paired', significant: beyondPaired(flipped, better) }
  }
  const ia = a.intervals?.[objective]
  const ib = b.intervals?.[objective]
  const bounds = ia && ib && unpairedRatio(ia, ib)
  if (!bounds) return { ...base, basis: 'unknown', significant: false }
  return { ...base, low: bounds.low, high: bounds.high, basis: 'intervals', significant: beyond(bounds.low, bounds.high) }
}

/**
 * a over b from each one's own interval, measured apart: the ratio lies between the extremes (conservative,
 * as unpaired runs are). Undefined when b's interval reaches 0.
 */
export function unpairedRatio(a: Estimate, b: Estimate): { readonly ratio: number; readonly low: number; readonly high: number } | undefined {
  if (b.low <= 0 || b.high <= 0) return undefined
  return { ratio: a.value / b.value, low: a.low / b.high, high: a.high / b.low }
}

function beyondPaired(e: Estimate, lowerBetter: boolean): boolean {
  return lowerBetter ? e.high < 1 && e.value <= 1 - minimumEffect : e.low > 1 && e.value >= 1 + minimumEffect
}

/** "0.81× ± 0.03": a ratio with the larger distance to its interval's ends; the bare ratio when unknown. */
export function formatRatioEstimate(margin: { readonly ratio: number; readonly low?: number | undefined; readonly high?: number | undefined }): string {
  if (Number.isNaN(margin.ratio)) return '—'
  const digits = margin.ratio >= 10 ? 1 : 2
  const text = `${margin.ratio.toFixed(digits)}×`
  if (margin.low === undefined || margin.high === undefined) return text
  const spread = Math.max(margin.high - margin.ratio, margin.ratio - margin.low)
  const unit = 10 ** -digits
  return `${text} ± ${spread < unit / 2 ? `<${unit.toFixed(digits)}` : spread.toFixed(digits)}`
}

/** A median latency over another's, each given with the half-width of its 95% interval: "0.81× ± 0.05"; "—" when unknown. */
export function formatLatencyRatio(a: TimedMedian, b: TimedMedian): string {
  if (a.p50Ms === undefined || b.p50Ms === undefined || b.p50Ms === 0) return '—'
  const [ia, ib] = [medianInterval(a), medianInterval(b)]
  const bounds = ia && ib && unpairedRatio(ia, ib)
  return formatRatioEstimate(bounds || { ratio: a.p50Ms / b.p50Ms })
}

/** A median latency's 95% interval from its half-width; undefined when either is unknown. */
export function medianInterval(m: TimedMedian): Estimate | undefined {
  if (m.p50Ms === undefined || m.p50HalfWidthMs === undefined) return undefined
  return { value: m.p50Ms, low: m.p50Ms - m.p50HalfWidthMs, high: m.p50Ms + m.p50HalfWidthMs }
}

/** An accuracy drop in points with its 95% interval when measured: "0.40 pt ± 0.31". */
export function formatDropPoints(measured: { readonly accuracyDropPoints?: number | undefined; readonly accuracyDropInterval?: Estimate | undefined }): string {
  if (measured.accuracyDropPoints === undefined) return '—'
  const e = measured.accuracyDropInterval
  return `${measured.accuracyDropPoints.toFixed(2)} pt${e ? ` ± ${halfWidth(e).toFixed(2)}` : ''}`
}

export interface TimedMedian {
  readonly p50Ms?: number | undefined
  readonly p50HalfWidthMs?: number | undefined
}

/** "± 1.8%": an interval's larger distance to its value, relative to the value. */
export function formatSpread(e: Estimate): string {
  return `± ${((halfWidth(e) / Math.abs(e.value)) * 100).toFixed(1)}%`
}

function names(rows: readonly PickCandidate[]): string {
  const list = rows.map((r) => r.name)
  return list.length <= 2 ? list.join(' and ') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`
}

/** The measurement a model lacks for this rule, in words, or undefined when it has them all. */
function missingOf(row: PickCandidate, rule: PickRule): string | undefined {
  if (row[rule.objective] === undefined) return rule.objective === 'sizeBytes' ? 'size' : 'benchmark'
  if (rule.maxAccuracyDrop !== null && qualityDrop(row) === undefined) return 'accuracy'
  return undefined
}

function pending(rows: readonly PickCandidate[], lacking: readonly PickCandidate[], rule: PickRule): Pick {
  const what = new Set(lacking.map((r) => missingOf(r, rule)))
  const hints = [
    ...(what.has('benchmark') ? [`${names(lacking.filter((r) => missingOf(r, rule) === 'benchmark'))} not benchmarked at the compared configuration`] : []),
    ...(what.has('accuracy') ? [`accuracy not measured yet for ${names(lacking.filter((r) => missingOf(r, rule) === 'accuracy'))}: run a comparison on evaluation data`] : []),
  ]
  const anyMeasured = rows.some((r) => r[rule.objective] !== undefined)
  return {
    verdict: 'pending',
    winnerId: null,
    reason: anyMeasured ? `pending: ${hints.join('; ')}` : 'pending: run a benchmark (and a comparison for accuracy) to pick a winner',
    eligibleIds: [],
    tiedIds: [],
    runnerUpId: null,
    margins: {},
  }
}

/** A limit a model fails, by its measured value; undefined when it meets them all (or they are unmeasured). */
function failsLimit(row: PickCandidate, rule: PickRule): boolean {
  if (rule.maxSizeBytes !== null && row.sizeBytes > rule.maxSizeBytes) return true
  const drop = qualityDrop(row)
  return rule.maxAccuracyDrop !== null && drop !== undefined && drop > rule.maxAccuracyDrop
}

/** Accuracy when labelled, else agreement with the baseline (higher is better); undefined when neither is known. */
function accuracyOf(row: PickCandidate): number | undefined {
  return row.accuracy ?? (row.isBaseline ? (row.agreement === undefined ? undefined : 1) : row.agreement)
}

function marginsOf(winner: PickCandidate, versus: PickCandidate | undefined, rule: PickRule): PickMargins {
  const drop = qualityDrop(winner)
  return {
    ...(versus ? { objective: compareOn(winner, versus, rule.objective) } : {}),
    ...(rule.maxAccuracyDrop !== null && drop !== undefined ? { accuracyDropPoints: rule.maxAccuracyDrop - drop } : {}),
    ...(rule.maxSizeBytes !== null ? { sizeBytes: rule.maxSizeBytes - winner.sizeBytes } : {}),
  }
}

function marginWords(margin: ObjectiveMargin | undefined, objective: Objective, versus: PickCandidate | undefined): string {
  if (!margin || !versus) return ''
  if (margin.basis === 'identical') return ` (identical bytes to ${versus.name})`
  const uncertainty = margin.basis === 'unknown' ? ', uncertainty not measured' : margin.basis === 'paired' ? ', timed side by side' : ''
  return ` (${metricWords[objective]} ${formatRatioEstimate(margin)} that of ${versus.name}${uncertainty})`
}

/** The verdict of the rule on these models (the baseline is a candidate too). */
export function pickVariant(rows: readonly PickCandidate[], rule: PickRule): Pick {
  const key = rule.objective
  const open = rows.filter((row) => !failsLimit(row, rule))
  const lacking = open.filter((row) => missingOf(row, rule) !== undefined)
  if (lacking.length > 0) return pending(rows, lacking, rule)
  const better = lowerIsBetter(key)
  // Best first on the point value; equal values fall to the smaller model, as the tie-break would.
  const eligible = [...open].sort((a, b) => (better ? 1 : -1) * ((a[key] as number) - (b[key] as number)) || a.sizeBytes - b.sizeBytes)
  const [best, runnerUp] = eligible
  if (!best) return { verdict: 'none', winnerId: null, reason: `no model meets "${describeRule(rule)}"`, eligibleIds: [], tiedIds: [], runnerUpId: null, margins: {} }
  const eligibleIds = eligible.map((r) => r.id)
  const tied = eligible.filter((row) => row === best || !compareOn(best, row, key).significant)
  const common = { eligibleIds, tiedIds: tied.map((r) => r.id), runnerUpId: runnerUp?.id ?? null }
  if (tied.length === 1) {
    const reason = runnerUp
      ? `${best.name} is the ${describeRule(rule)}${marginWords(compareOn(best, runnerUp, key), key, runnerUp)}`
      : `${best.name} is the only model that meets "${describeRule(rule)}"`
    return { ...common, verdict: 'winner', winnerId: best.id, reason, margins: marginsOf(best, runnerUp, rule) }
  }
  const contender = tied[1] as PickCandidate
  const closeness = `no significant difference in ${metricWords[key]} between ${names(tied)}${marginWords(compareOn(best, contender, key), key, contender)}`
  const smallest = Math.min(...tied.map((r) => r.sizeBytes))
  const small = tied.filter((r) => r.sizeBytes === smallest)
  const scores = small.map(accuracyOf)
  const top = scores.every((s) => s === undefined) ? undefined : Math.max(...scores.map((s) => s ?? -Infinity))
  const accurate = top === undefined ? small : small.filter((r) => accuracyOf(r) === top)
  if (accurate.length === 1) {
    const winner = accurate[0] as PickCandidate
    const why = small.length === 1 ? `${winner.name} is the smallest` : `${winner.name} is the most accurate of the smallest`
    const versus = tied.find((r) => r !== winner)
    return { ...common, verdict: 'tie-break', winnerId: winner.id, reason: `${closeness}; ${why}`, margins: marginsOf(winner, versus, rule) }
  }
  const identical = accurate.every((r) => r.digest !== undefined && r.digest === accurate[0]?.digest)
  const reason = identical
    ? `${names(accurate)} are the same model (identical bytes): nothing tells them apart`
    : `${closeness}, and ${names(accurate)} are equally small and accurate`
  return { ...common, verdict: 'no-difference', winnerId: null, reason, margins: marginsOf(best, contender, rule) }
}

/** What the timing in alternation says of one model (named by key): its p50, and its p50 over each other model's. */
export function pairedTiming(latency: PairedLatency | undefined, key: string): { readonly p50Ms?: Estimate; readonly pairedP50: Readonly<Record<string, Estimate>> } {
  const p50Ms = latency?.models.find((m) => m.key === key)?.p50Ms ?? undefined
  const pairedP50: Record<string, Estimate> = {}
  for (const { of, over, ratio } of latency?.ratios ?? []) if (ratio && of === key && over !== key) pairedP50[over] = ratio
  return { ...(p50Ms ? { p50Ms } : {}), pairedP50 }
}

/** The rule's candidates from a comparison alone (what `slipway compare` knows): size, digest, accuracy, and p50 timed in alternation. */
export function comparisonCandidates(report: CompareReport): PickCandidate[] {
  const baselineAccuracy = report.baseline.accuracy
  const models = [{ ...report.baseline, isBaseline: true }, ...report.variants.map((v) => ({ ...v, isBaseline: false }))]
  return models.map((model) => {
    const id = model.modelId ?? model.model
    const timing = pairedTiming(report.latency, id)
    const variant = 'fidelity' in model ? model : undefined
    return {
      id,
      name: model.model,
      isBaseline: model.isBaseline,
      sizeBytes: model.sizeBytes ?? Number.NaN,
      p50Ms: timing.p50Ms?.value,
      p99Ms: undefined,
      throughput: undefined,
      memoryBytes: undefined,
      accuracy: model.accuracy,
      accuracyDrop: model.isBaseline ? (baselineAccuracy === undefined ? undefined : 0) : variant?.accuracyDropPoints,
      agreement: model.isBaseline ? 1 : variant?.fidelity.top1Agreement,
      intervals: timing.p50Ms ? { p50Ms: timing.p50Ms } : {},
      pairedP50: timing.pairedP50,
      digest: model.digest,
    }
  })
}

/**
 * A variant slower than its parent beyond the uncertainty, bigger, and no more accurate (labelled accuracy,
 * else agreement with the baseline): nothing about it is better. False when any of the three is unmeasured.
 */
export function isDominatedBy(row: PickCandidate, parent: PickCandidate): boolean {
  const slower = compareOn(parent, row, 'p50Ms').significant
  const accuracy = row.accuracy !== undefined && parent.accuracy !== undefined ? [row.accuracy, parent.accuracy] : [accuracyOf(row), accuracyOf(parent)]
  const [own, theirs] = accuracy
  return slower && row.sizeBytes > parent.sizeBytes && own !== undefined && theirs !== undefined && own <= theirs
}

/** The ids of the rows dominated by their parent row (when the parent is among the rows). */
export function dominatedIds(rows: readonly PickCandidate[]): Set<string> {
  const byId = new Map(rows.map((r) => [r.id, r]))
  return new Set(rows.filter((r) => r.parentId !== undefined && byId.has(r.parentId) && isDominatedBy(r, byId.get(r.parentId) as PickCandidate)).map((r) => r.id))
}
