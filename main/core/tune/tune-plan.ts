// The tuner's search space and its pruning, as pure functions of what was measured so far: which recipe
// chains apply to a model, which new ones a result opens (a pruned model worth re-quantizing, a static
// int8 that misses the constraint but may pass with its worst layers kept in float), and which queued
// ones a result rules out, with the reason the log shows.
import type { QuantizeOptions, RecipeStep, SessionSettings, TuneCandidate, TuneObjective, TuneOptions } from '../../../preload/api'

export type Family = 'fp16' | 'dynamic' | 'static' | 'int4' | 'prune' | 'optimize'

export interface PlannedCandidate {
  readonly key: string
  readonly label: string
  readonly family: Family
  readonly steps: readonly RecipeStep[]
  readonly parentKey?: string
  /** Where a family's members are ordered by how much they change the model (int4 block size, prune ratio). */
  readonly strength?: number
}

/** What the plan needs to know of the model: its operators (subgraphs included) and weight types. */
export interface ModelFacts {
  readonly opHistogram: Readonly<Record<string, number>>
  /** Parameter count by dtype. */
  readonly dtypes: readonly string[]
}

/** The constraint a candidate must meet, from the options (labels decide the default). */
export interface Constraint {
  readonly maxAccuracyDrop?: number
  readonly minTop1Agreement?: number
  readonly minSqnrDb?: number
}

/** What a measured candidate showed, as far as the plan cares. */
export interface Outcome {
  readonly status: 'done' | 'failed' | 'no-op'
  readonly meets: boolean | null
  /** Accuracy drop in points, or top-1 disagreement in points when there are no labels. */
  readonly qualityDrop?: number
  /** Static int8 with an error report: the nodes worth keeping in float. */
  readonly suggestedExclusions?: readonly string[]
  /** Better than the baseline on the objective. */
  readonly helps?: boolean
}

export interface Expansion {
  readonly add: readonly PlannedCandidate[]
  /** Queued candidates ruled out, and why. */
  readonly drop: readonly { readonly key: string; readonly reason: string }[]
  /** Branches not opened, and why (for the log). */
  readonly notes: readonly string[]
}

const STATIC_METHODS = ['minmax', 'percentile', 'entropy'] as const
const INT4_BLOCKS = [32, 64, 128] as const
const PRUNE_RATIOS = [0.25, 0.5] as const
/** Calibration samples: enough for stable ranges, few enough to keep a candidate to seconds. */
const CALIBRATION_SAMPLES = 200

export function constraintOf(options: Pick<TuneOptions, 'maxAccuracyDrop' | 'minFidelity'>, hasLabels: boolean): Constraint {
  if (options.maxAccuracyDrop !== undefined) return { maxAccuracyDrop: options.maxAccuracyDrop }
  const fidelity = options.minFidelity
  if (fidelity?.top1Agreement !== undefined || fidelity?.sqnrDb !== undefined)
    return {
      ...(fidelity.top1Agreement === undefined ? {} : { minTop1Agreement: fidelity.top1Agreement }),
      ...(fidelity.sqnrDb === undefined ? {} : { minSqnrDb: fidelity.sqnrDb }),
    }
  return hasLabels ? { maxAccuracyDrop: 1 } : { minTop1Agreement: 0.99 }
}

export function describeConstraint(constraint: Constraint): string {
  const parts = [
    ...(constraint.maxAccuracyDrop === undefined ? [] : [`accuracy drop ≤ ${constraint.maxAccuracyDrop} point${constraint.maxAccuracyDrop === 1 ? '' : 's'}`]),
    ...(constraint.minTop1Agreement === undefined ? [] : [`top-1 agreement ≥ ${(constraint.minTop1Agreement * 100).toFixed(1)}%`]),
    ...(constraint.minSqnrDb === undefined ? [] : [`output SQNR ≥ ${constraint.minSqnrDb} dB`]),
  ]
  return parts.join(' and ')
}

/** Whether measured numbers meet the constraint; null when a needed number is missing. */
export function meetsConstraint(constraint: Constraint, measured: Pick<TuneCandidate, 'accuracyDropPoints' | 'top1Agreement' | 'sqnrDb'>): boolean | null {
  const checks: (boolean | null)[] = []
  if (constraint.maxAccuracyDrop !== undefined)
    checks.push(measured.accuracyDropPoints === undefined ? null : measured.accuracyDropPoints <= constraint.maxAccuracyDrop)
  if (constraint.minTop1Agreement !== undefined)
    checks.push(measured.top1Agreement === undefined ? null : measured.top1Agreement >= constraint.minTop1Agreement)
  // Identical outputs have no SQNR (null): they meet any SQNR bound.
  if (constraint.minSqnrDb !== undefined) checks.push(measured.sqnrDb === undefined ? null : measured.sqnrDb === null || measured.sqnrDb >= constraint.minSqnrDb)
  if (checks.includes(false)) return false
  return checks.includes(null) ? null : true
}

const count = (facts: ModelFacts, ...ops: string[]): number => ops.reduce((sum, op) => sum + (facts.opHistogram[op] ?? 0), 0)

function staticCandidate(calibPath: string, method: (typeof STATIC_METHODS)[number], perChannel: boolean, excludeNodes?: readonly string[]): PlannedCandidate {
  const options: QuantizeOptions = {
    mode: 'static',
    calibPath,
    method,
    perChannel,
    samples: CALIBRATION_SAMPLES,
    ...(excludeNodes ? { excludeNodes } : {}),
  }
  const base = `static-${method}-${perChannel ? 'pc' : 'pt'}`
  return {
    key: excludeNodes ? `${base}-float${excludeNodes.length}` : base,
    label: `static int8 ${method}${perChannel ? ' per-channel' : ''}${excludeNodes ? `, ${excludeNodes.length} worst layer${excludeNodes.length === 1 ? '' : 's'} float` : ''}`,
    family: 'static',
    steps: [{ step: 'quantize', options }],
  }
}

export interface InitialPlan {
  readonly candidates: readonly PlannedCandidate[]
  /** Recipes that do not apply to this model, and why. */
  readonly skipped: readonly { readonly key: string; readonly label: string; readonly reason: string }[]
}

/**
 * The recipes that apply to the model, most promising first: quantization (the usual big win on CPU),
 * then pruning, float16 and graph optimization. What does not apply is listed with the reason.
 */
export function initialCandidates(facts: ModelFacts, calibPath: string, objective: TuneObjective): InitialPlan {
  const candidates: PlannedCandidate[] = []
  const skipped: { key: string; label: string; reason: string }[] = []
  const quantized = count(facts, 'QuantizeLinear', 'DequantizeLinear', 'QLinearConv', 'QLinearMatMul', 'MatMulInteger', 'ConvInteger', 'com.microsoft.MatMulNBits') > 0
  const isFloat32 = facts.dtypes.includes('float32')
  const weighted = count(facts, 'Conv', 'MatMul', 'Gemm')
  if (quantized) skipped.push({ key: 'quantize', label: 'int8 and int4 quantization', reason: 'the model is already quantized' })
  else if (weighted === 0) skipped.push({ key: 'quantize', label: 'int8 and int4 quantization', reason: 'it has no Conv, MatMul or Gemm to quantize' })
  else {
    candidates.push({ key: 'dynamic', label: 'dynamic int8', family: 'dynamic', steps: [{ step: 'quantize', options: { mode: 'dynamic', perChannel: true } }] })
    for (const perChannel of [true, false]) for (const method of STATIC_METHODS) candidates.push(staticCandidate(calibPath, method, perChannel))
    if (count(facts, 'MatMul') > 0)
      for (const blockSize of INT4_BLOCKS)
        candidates.push({
          key: `int4-b${blockSize}`,
          label: `int4 blocks of ${blockSize}`,
          family: 'int4',
          strength: blockSize,
          steps: [{ step: 'quantize', options: { mode: 'int4', blockSize, symmetric: true } }],
        })
    else skipped.push({ key: 'int4', label: 'int4', reason: 'int4 (MatMulNBits) applies to MatMul weights, and the model has none' })
  }
  if (count(facts, 'Conv', 'Gemm', 'MatMul') > 0)
    for (const ratio of PRUNE_RATIOS)
      candidates.push({
        key: `prune-${ratio}`,
        label: `structured prune ${ratio * 100}%`,
        family: 'prune',
        strength: ratio,
        steps: [{ step: 'prune', options: { method: 'structured', ratio, criterion: 'l1' } }],
      })
  if (isFloat32 && !quantized) candidates.push({ key: 'fp16', label: 'float16', family: 'fp16', steps: [{ step: 'fp16', options: { keepIoTypes: true } }] })
  if (objective === 'size') skipped.push({ key: 'optimize', label: 'graph optimization', reason: 'it fuses nodes but keeps the weights: it cannot make the model smaller' })
  else candidates.push({ key: 'optimize', label: 'graph optimization (extended)', family: 'optimize', steps: [{ step: 'optimize', options: { level: 'extended' } }] })
  return { candidates, skipped }
}

function points(value: number | undefined): string {
  return value === undefined ? 'an unknown amount' : `${value.toFixed(2)} points`
}

/**
 * What a finished candidate changes in the plan. `queued` are the candidates not started yet; `done` the
 * finished ones with their outcomes (this one included), for choosing the re-quantization of a pruned model.
 */
export function expand(candidate: PlannedCandidate, outcome: Outcome, queued: readonly PlannedCandidate[], done: ReadonlyMap<string, { readonly candidate: PlannedCandidate; readonly outcome: Outcome; readonly objectiveValue?: number }>, objective: TuneObjective): Expansion {
  const add: PlannedCandidate[] = []
  const drop: { key: string; reason: string }[] = []
  const notes: string[] = []
  const missed = outcome.status === 'done' && outcome.meets === false
  // Within a family ordered by strength, more of the change can only lose more: the stronger members go.
  if (missed && candidate.strength !== undefined)
    for (const other of queued)
      if (other.family === candidate.family && other.parentKey === undefined && (other.strength ?? 0) > candidate.strength)
        drop.push({ key: other.key, reason: `${candidate.label} already misses the constraint (quality drop ${points(outcome.qualityDrop)}); ${other.label} changes more and can only lose more` })
  if (missed && candidate.family === 'static' && candidate.key.split('-').length === 3 && (outcome.suggestedExclusions?.length ?? 0) > 0) {
    const step = candidate.steps[0]
    if (step?.step === 'quantize' && step.options.calibPath && step.options.method) {
      const alreadyPlanned = [...queued, ...[...done.values()].map((d) => d.candidate)].some((c) => c.key.startsWith(`${candidate.key}-float`))
      if (!alreadyPlanned) add.push(staticCandidate(step.options.calibPath, step.options.method, step.options.perChannel ?? false, outcome.suggestedExclusions))
    }
  }
  if (candidate.family === 'prune' && candidate.parentKey === undefined && outcome.status === 'done') {
    const requant = bestQuantization(done, objective)
    if (outcome.meets !== true) notes.push(`${candidate.label} is not re-quantized: it misses the constraint, and quantizing adds error`)
    else if (!requant) notes.push(`${candidate.label} is not re-quantized: no quantization of the unpruned model met the constraint and helped`)
    else
      add.push({
        key: `${candidate.key}+${requant.key}`,
        label: `${candidate.label} → ${requant.label}`,
        family: requant.family,
        parentKey: candidate.key,
        steps: requant.steps.map(withoutExclusions),
      })
  }
  return { add, drop, notes }
}

/** Exclusions name the unpruned model's nodes: a pruned model's own are not known yet. */
function withoutExclusions(step: RecipeStep): RecipeStep {
  if (step.step !== 'quantize') return step
  const { excludeNodes: _excluded, ...options } = step.options
  return { step: 'quantize', options }
}

/**
 * The quantization worth repeating on a pruned model: among those of the unpruned model that met the
 * constraint and beat the baseline on the objective, the best on it. Exclusions name the unpruned model's
 * nodes, so they are not carried over.
 */
export function bestQuantization(
  done: ReadonlyMap<string, { readonly candidate: PlannedCandidate; readonly outcome: Outcome; readonly objectiveValue?: number }>,
  objective: TuneObjective,
): PlannedCandidate | undefined {
  const better = (a: number, b: number): boolean => (objective === 'throughput' ? a > b : a < b)
  let best: { candidate: PlannedCandidate; value: number } | undefined
  for (const { candidate, outcome, objectiveValue } of done.values()) {
    if (candidate.parentKey !== undefined || !['static', 'dynamic', 'int4'].includes(candidate.family)) continue
    if (outcome.status !== 'done' || outcome.meets !== true || !outcome.helps || objectiveValue === undefined) continue
    if (!best || better(objectiveValue, best.value)) best = { candidate, value: objectiveValue }
  }
  return best?.candidate
}

/** Session settings worth measuring on this machine: thread counts up to the cores, and the graph levels. */
export function settingsToTry(cores: number): SessionSettings[] {
  const threads = [1, 2, 4, 8].filter((n) => n <= Math.max(1, cores))
  const levels = ['basic', 'all'] as const
  return threads.flatMap((intraOpThreads) => levels.map((graphOptimizationLevel) => ({ intraOpThreads, graphOptimizationLevel })))
}

export interface MeasuredSetting {
  readonly settings: SessionSettings
  readonly value: number
  /** Half width of the value's 95% interval. */
  readonly halfWidth: number
}

/**
 * The setting to deploy with: the default (1 thread, all optimizations) unless another beats it beyond
 * both intervals; more threads cost the server's other requests, so a tie keeps the fewer.
 */
export function chooseSetting(measured: readonly MeasuredSetting[], objective: TuneObjective): { readonly chosen: MeasuredSetting; readonly note: string } | undefined {
  const reference = measured.find((m) => m.settings.intraOpThreads === 1 && m.settings.graphOptimizationLevel === 'all') ?? measured[0]
  if (!reference) return undefined
  const higherIsBetter = objective === 'throughput'
  const clearlyBetter = (a: MeasuredSetting, b: MeasuredSetting): boolean =>
    higherIsBetter ? a.value - a.halfWidth > b.value + b.halfWidth : a.value + a.halfWidth < b.value - b.halfWidth
  const winners = measured.filter((m) => m !== reference && clearlyBetter(m, reference))
  const best = winners.reduce<MeasuredSetting | undefined>((b, m) => (b === undefined || (higherIsBetter ? m.value > b.value : m.value < b.value) ? m : b), undefined)
  const describe = (m: MeasuredSetting): string => `${m.settings.intraOpThreads} thread${m.settings.intraOpThreads === 1 ? '' : 's'}, ${m.settings.graphOptimizationLevel} optimizations`
  if (!best) return { chosen: reference, note: `${describe(reference)}: no other setting was better beyond the measurement's uncertainty` }
  const ratio = best.value / reference.value
  const spread = ratio * Math.hypot(best.halfWidth / best.value, reference.halfWidth / reference.value)
  return { chosen: best, note: `${describe(best)}: ${ratio.toFixed(2)}× ± ${spread.toFixed(2)} of ${describe(reference)}` }
}
