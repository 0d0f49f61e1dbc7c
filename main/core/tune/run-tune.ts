// The tuner (job kind 'tune', `slipway tune`): tries the recipes that apply to a model one candidate at a
// time through the recipe machinery (each output checked and committed as a variant with its lineage),
// measures each against the model on the user's data (accuracy, fidelity) and benchmarks it, drops the
// branches that cannot meet the constraint, re-measures the survivors side by side, applies the pick rule,
// and measures session settings for the pick. The search state is stored with the model after every
// candidate, so a cancelled or interrupted search started again with the same settings resumes.
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import type { BenchmarkOptions, BenchmarkResult, CompareVariant, ModelEntry, ModelId, QuantizeOptions, RecipeStep, TuneCandidate, TuneLogEntry, TuneObjective, TuneOptions, TuneReport } from '../../../preload/api'
import { CancelledError, errorMessage, UserError } from '../errors'
import { runBenchmarks, type BenchModel } from '../bench/run-bench'
import { runComparison } from '../bench/run-compare'
import { resultName } from '../jobs/benchmark-job'
import type { JobEnv } from '../jobs/job-kinds'
import type { JobRun } from '../jobs/job-queue'
import { makeVariant } from '../jobs/variant'
import { chooseSetting, constraintOf, describeConstraint, expand, initialCandidates, meetsConstraint, settingsToTry, type Constraint, type MeasuredSetting, type Outcome, type PlannedCandidate } from './tune-plan'
import { clearlyBetter, medianHalfWidth, objectiveValue, qualityDrop } from './tune-metrics'
import { pickRecommended } from './tune-pick'

const DEFAULT_BUDGET_S = 600
/** Share of the budget for candidates; the rest is for re-measuring the survivors and the session settings. */
const CANDIDATE_SHARE = 0.75
/** Survivors re-measured side by side at the end. */
const FINALISTS = 6

type Candidate = TuneCandidate & PlannedCandidate

export interface TuneRun {
  readonly env: JobEnv
  readonly job: JobRun
}

function planned(candidate: PlannedCandidate): Candidate {
  return { ...candidate, status: 'queued' }
}

function sameSearch(a: TuneOptions, b: TuneOptions): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function storedSearches(results: readonly { name: string; value: unknown }[]): TuneReport[] {
  return results.map((r) => r.value as TuneReport).filter((value) => value?.kind === 'tune')
}

/** Options with defaults filled in, in one key order, so that a restart with the same settings finds its search. */
export function normalizeTuneOptions(options: TuneOptions): TuneOptions {
  return {
    dataPath: options.dataPath,
    ...(options.labelsPath ? { labelsPath: options.labelsPath } : {}),
    calibPath: options.calibPath ?? options.dataPath,
    ...(options.data && Object.keys(options.data).length > 0 ? { data: options.data } : {}),
    ...(options.maxAccuracyDrop === undefined ? {} : { maxAccuracyDrop: options.maxAccuracyDrop }),
    ...(options.minFidelity ? { minFidelity: options.minFidelity } : {}),
    objective: options.objective ?? 'latency',
    batch: options.batch ?? 1,
    timeBudgetS: options.timeBudgetS ?? DEFAULT_BUDGET_S,
  }
}

export async function runTune(modelId: ModelId, requested: TuneOptions, { env, job }: TuneRun): Promise<TuneReport> {
  const started = performance.now()
  const options = normalizeTuneOptions(requested)
  const objective = options.objective as TuneObjective
  const baseline = await env.workspace.get(modelId)
  if (baseline.format !== 'onnx' || !baseline.inspection) throw new UserError(`${baseline.name} is a ${baseline.format} model: the tuner searches ONNX recipes (convert it to ONNX first)`)
  if (options.maxAccuracyDrop !== undefined && options.minFidelity) throw new UserError('give a largest accuracy drop or a least fidelity, not both')
  const budgetMs = (options.timeBudgetS as number) * 1000
  const benchSeconds = Math.min(2, Math.max(0.5, (options.timeBudgetS as number) / 120))
  const log: TuneLogEntry[] = []
  const say = (kind: TuneLogEntry['kind'], text: string): void => void log.push({ at: new Date().toISOString(), kind, text })

  const previous = storedSearches(await env.workspace.listResults(modelId)).filter((r) => r.state === 'running' && sameSearch(r.options, options)).at(-1)
  const existing = new Set((await env.workspace.list()).map((m) => m.id))
  const createdAt = previous?.createdAt ?? new Date().toISOString()
  const id = previous?.id ?? resultName('tune', createdAt)
  let candidates: Candidate[]
  if (previous) {
    // Finished candidates whose variant is still in the workspace are kept; the rest run again (those the
    // last budget left out included: this run has a budget of its own).
    candidates = previous.candidates.map((c) => {
      const kept = !['queued', 'running', 'skipped'].includes(c.status) && (c.modelId === undefined || existing.has(c.modelId))
      return (kept ? c : { ...c, status: 'queued', reason: undefined, modelId: undefined }) as Candidate
    })
    log.push(...previous.log)
    say('info', `resumed: ${candidates.filter((c) => c.status !== 'queued').length} of ${candidates.length} candidates were already settled`)
  } else {
    const plan = initialCandidates({ opHistogram: baseline.inspection.opHistogram, dtypes: Object.keys(baseline.inspection.parameters.byDtype) }, options.calibPath as string, objective)
    candidates = plan.candidates.map(planned)
    for (const s of plan.skipped) say('dropped', `${s.label}: ${s.reason}`)
    if (!requested.calibPath) say('info', 'static int8 calibrates on the evaluation data (no separate calibration data given), so its accuracy may read slightly high')
  }

  const baseModel: BenchModel = { path: await env.workspace.mainFilePath(modelId), label: baseline.name, modelId, ...(baseline.inputSpec ? { inputSpec: baseline.inputSpec } : {}) }
  const benchOptions = {
    batches: [options.batch as number],
    threads: [1],
    durationS: benchSeconds,
    warmup: 5,
    dataPath: options.dataPath,
    ...(options.data ? { data: options.data } : {}),
  }
  let baselineBench: BenchmarkResult | undefined
  let baselineAccuracy: number | undefined = previous?.baseline.accuracy
  let constraint: Constraint = constraintOf(options, options.labelsPath !== undefined)

  const report = (state: TuneReport['state'], extra: Partial<TuneReport> = {}): TuneReport => ({
    kind: 'tune',
    id,
    createdAt,
    modelId,
    model: baseline.name,
    options,
    constraint: describeConstraint(constraint),
    state,
    baseline: {
      sizeBytes: baseline.inspection?.sizeBytes ?? baseline.sizeBytes,
      ...(baselineBench ? { p50Ms: baselineBench.latencyMs.p50, p50HalfWidthMs: medianHalfWidth(baselineBench), samplesPerSec: baselineBench.throughput.samplesPerSec } : {}),
      ...(baselineAccuracy === undefined ? {} : { accuracy: baselineAccuracy }),
    },
    candidates: candidates.map(({ ...c }) => c),
    log: [...log],
    front: [],
    recommended: null,
    reason: 'the search is running',
    ...extra,
  })
  const save = async (value: TuneReport): Promise<void> => void (await env.workspace.saveResult(modelId, id, value))
  const settled = (): number => candidates.filter((c) => !['queued', 'running'].includes(c.status)).length
  const progress = (fraction: number, stage: string, detail?: string): void => job.progress(fraction, stage, detail, report('running'))
  const fractionDone = (within = 0): number => Math.min(0.95, (CANDIDATE_SHARE * (settled() + within)) / Math.max(1, candidates.length))

  progress(0, 'measuring the model')
  const first = await runBenchmarks(env.spawnWorker, [baseModel], benchOptions, { signal: job.signal })
  baselineBench = first.results[0]

  // Outcomes of the settled candidates, for the plan's choices (re-quantization of a pruned model).
  const baselineValue = (): number | undefined => objectiveValue(objective, { sizeBytes: baseline.inspection?.sizeBytes ?? baseline.sizeBytes, ...(baselineBench ? { p50Ms: baselineBench.latencyMs.p50, samplesPerSec: baselineBench.throughput.samplesPerSec } : {}) })
  const outcomeOf = (c: Candidate): Outcome => {
    const value = objectiveValue(objective, c)
    const base = baselineValue()
    const drop = qualityDrop(c)
    return {
      status: c.status === 'no-op' ? 'no-op' : c.status === 'done' ? 'done' : 'failed',
      meets: c.meets ?? null,
      ...(drop === undefined ? {} : { qualityDrop: drop }),
      ...(c.suggestedExclusions ? { suggestedExclusions: c.suggestedExclusions } : {}),
      helps: value !== undefined && base !== undefined && clearlyBetter(objective, value, base),
    }
  }
  const doneMap = (): Map<string, { candidate: PlannedCandidate; outcome: Outcome; objectiveValue?: number }> =>
    new Map(
      candidates
        .filter((c) => ['done', 'no-op', 'failed'].includes(c.status))
        .map((c) => {
          const value = objectiveValue(objective, c)
          return [c.key, { candidate: c, outcome: outcomeOf(c), ...(value === undefined ? {} : { objectiveValue: value }) }] as const
        }),
    )
  const update = (key: string, change: Partial<TuneCandidate>): Candidate => {
    const index = candidates.findIndex((c) => c.key === key)
    const next = { ...(candidates[index] as Candidate), ...change } as Candidate
    candidates[index] = next
    return next
  }

  for (;;) {
    if (job.signal.aborted) throw new CancelledError()
    const next = candidates.find((c) => c.status === 'queued')
    if (!next) break
    if (performance.now() - started > budgetMs * CANDIDATE_SHARE) {
      for (const c of candidates.filter((c) => c.status === 'queued')) update(c.key, { status: 'skipped', reason: 'the time budget ran out before it' })
      say('dropped', `time budget: ${candidates.filter((c) => c.status === 'skipped').length} candidates not tried (${candidates.filter((c) => c.status === 'skipped').map((c) => c.label).join(', ')})`)
      break
    }
    const parent = next.parentKey === undefined ? modelId : candidates.find((c) => c.key === next.parentKey)?.modelId
    if (!parent) {
      update(next.key, { status: 'dropped', reason: 'its parent made no variant' })
      continue
    }
    update(next.key, { status: 'running' })
    const index = settled() + 1
    const stage = (what: string): string => `candidate ${index}/${candidates.length} · ${next.label}: ${what}`
    progress(fractionDone(), stage('making'))
    let made: ModelEntry | undefined
    try {
      const variant = await makeCandidate(env, job, parent, next, baseline, (fraction, s, detail) => progress(fractionDone(fraction * 0.5), stage(s), detail))
      if (variant.noOp) {
        update(next.key, { status: 'no-op', reason: variant.noOp })
        say('dropped', `${next.label} made nothing new: ${variant.noOp}`)
      } else {
        const entry = variant.entry as ModelEntry
        made = entry
        const model: BenchModel = { path: await env.workspace.mainFilePath(entry.id), label: entry.name, modelId: entry.id, ...(entry.inputSpec ? { inputSpec: entry.inputSpec } : {}) }
        progress(fractionDone(0.5), stage('measuring accuracy'))
        const comparison = await runComparison(env.spawnWorker, baseModel, [model], {
          dataPath: options.dataPath,
          ...(options.labelsPath ? { labelsPath: options.labelsPath } : {}),
          ...(options.data ? { data: options.data } : {}),
          // Accuracy only: the survivors' latency is measured side by side later, once, not per candidate.
          latencyBudgetS: 0,
        }, { signal: job.signal })
        await env.workspace.saveResult(entry.id, resultName('compare', comparison.createdAt), comparison)
        baselineAccuracy = comparison.baseline.accuracy
        if (baselineAccuracy !== undefined && options.maxAccuracyDrop === undefined && !options.minFidelity) constraint = constraintOf(options, true)
        if (constraint.maxAccuracyDrop !== undefined && baselineAccuracy === undefined)
          throw new UserError('an accuracy-drop limit needs labels: give the labels of the evaluation data, or a least fidelity instead')
        const v = comparison.variants[0] as CompareVariant
        progress(fractionDone(0.75), stage('benchmarking'))
        const bench = await runBenchmarks(env.spawnWorker, [model], benchOptions, { signal: job.signal })
        await env.workspace.saveResult(entry.id, resultName('benchmark', bench.createdAt), bench)
        const b = bench.results[0] as BenchmarkResult
        const measured = {
          modelId: entry.id,
          sizeBytes: entry.inspection?.sizeBytes ?? entry.sizeBytes,
          p50Ms: b.latencyMs.p50,
          p50HalfWidthMs: medianHalfWidth(b),
          samplesPerSec: b.throughput.samplesPerSec,
          ...(v.accuracy === undefined ? {} : { accuracy: v.accuracy }),
          ...(v.accuracyDropPoints === undefined ? {} : { accuracyDropPoints: v.accuracyDropPoints }),
          ...(v.accuracyDropInterval === undefined ? {} : { accuracyDropInterval: v.accuracyDropInterval }),
          ...(v.fidelity.top1Agreement === undefined ? {} : { top1Agreement: v.fidelity.top1Agreement }),
          sqnrDb: v.fidelity.sqnrDb,
          ...(variant.suggestedExclusions?.length ? { suggestedExclusions: variant.suggestedExclusions } : {}),
        }
        const done = update(next.key, { status: 'done', ...measured, meets: meetsConstraint(constraint, measured) })
        say('tried', `${next.label}: ${describeMeasured(done, baselineBench)}${done.meets === false ? ` — misses ${describeConstraint(constraint)}` : ''}`)
      }
    } catch (error) {
      if (error instanceof CancelledError || job.signal.aborted) {
        // The candidate runs again on resume: a variant it made half-measured would be a stray.
        if (made) await env.workspace.remove(made.id)
        update(next.key, { status: 'queued' })
        await save(report('running'))
        throw new CancelledError()
      }
      if (error instanceof UserError && /needs labels/.test(error.message)) throw error
      // A variant made before the failure stays in the workspace, named here so that it is not a stray.
      update(next.key, { status: 'failed', reason: errorMessage(error), ...(made ? { modelId: made.id } : {}) })
      say('dropped', `${next.label} failed: ${errorMessage(error)}`)
    }
    if (made) await env.modelsChanged?.()
    const finished = candidates.find((c) => c.key === next.key) as Candidate
    const expansion = expand(finished, outcomeOf(finished), candidates.filter((c) => c.status === 'queued'), doneMap(), objective)
    for (const d of expansion.drop) {
      update(d.key, { status: 'dropped', reason: d.reason })
      say('dropped', `${candidates.find((c) => c.key === d.key)?.label ?? d.key}: ${d.reason}`)
    }
    for (const note of expansion.notes) say('dropped', note)
    for (const added of expansion.add)
      if (!candidates.some((c) => c.key === added.key)) {
        candidates.push(planned(added))
        say('info', `queued ${added.label}${finished.meets === false ? ` (${finished.label} missed the constraint)` : ''}`)
      }
    await save(report('running'))
  }

  // The survivors side by side in one run: the verdict rests on measurements taken under the same conditions.
  const survivors = candidates
    .filter((c) => c.status === 'done' && c.meets === true && c.modelId)
    .sort((a, b) => compareObjective(objective, a, b))
    .slice(0, FINALISTS)
  if (survivors.length > 0) {
    progress(0.8, 'measuring the best candidates side by side')
    const models = [baseModel, ...(await Promise.all(survivors.map(async (c) => benchModelOf(env, c.modelId as ModelId))))]
    const final = await runBenchmarks(env.spawnWorker, models, benchOptions, { signal: job.signal })
    for (const r of final.results) {
      if (!r.modelId) continue
      if (r.modelId === modelId) baselineBench = r
      else {
        const c = candidates.find((x) => x.modelId === r.modelId)
        if (c) update(c.key, { p50Ms: r.latencyMs.p50, p50HalfWidthMs: medianHalfWidth(r), samplesPerSec: r.throughput.samplesPerSec })
      }
    }
    for (const c of survivors) await env.workspace.saveResult(c.modelId as ModelId, resultName('benchmark', final.createdAt), { ...final, results: final.results.filter((r) => r.modelId === c.modelId || r.modelId === modelId) })
    await env.workspace.saveResult(modelId, resultName('benchmark', final.createdAt), { ...final, results: final.results.filter((r) => r.modelId === modelId) })
  } else say('info', `no candidate met ${describeConstraint(constraint)}`)

  const pick = pickRecommended(report('running'), constraint, objective)
  let settings: TuneReport['settings']
  if (pick.recommended) {
    progress(0.9, 'measuring session settings')
    const measured = await measureSettings(env, job, await benchModelOf(env, pick.recommended), benchOptions, objective)
    const chosen = chooseSetting(measured, objective === 'size' ? 'latency' : objective)
    if (chosen) {
      settings = { ...chosen.chosen.settings, note: chosen.note }
      say('info', `session settings: ${chosen.note}`)
    }
  }
  say('info', pick.reason)
  const final = report('done', { front: pick.front, recommended: pick.recommended, reason: pick.reason, ...(settings ? { settings } : {}) })
  await save(final)
  if (pick.recommended && pick.recommended !== modelId) await env.workspace.saveResult(pick.recommended, id, final)
  return final
}

function compareObjective(objective: TuneObjective, a: TuneCandidate, b: TuneCandidate): number {
  const x = objectiveValue(objective, a) ?? Number.NaN
  const y = objectiveValue(objective, b) ?? Number.NaN
  return objective === 'throughput' ? y - x : x - y
}

function describeMeasured(c: TuneCandidate, baseline: BenchmarkResult | undefined): string {
  const drop = c.accuracyDropPoints !== undefined ? `accuracy drop ${c.accuracyDropPoints.toFixed(2)} points` : c.top1Agreement !== undefined ? `top-1 agreement ${(c.top1Agreement * 100).toFixed(1)}%` : 'no quality measure'
  const latency = c.p50Ms === undefined ? '' : `, p50 ${c.p50Ms.toFixed(3)} ± ${(c.p50HalfWidthMs ?? 0).toFixed(3)} ms`
  const ratio = c.p50Ms !== undefined && baseline ? ` (${(c.p50Ms / baseline.latencyMs.p50).toFixed(2)}× the model's)` : ''
  return `${drop}${latency}${ratio}`
}

async function benchModelOf(env: JobEnv, id: ModelId): Promise<BenchModel> {
  const entry = await env.workspace.get(id)
  return { path: await env.workspace.mainFilePath(id), label: entry.name, modelId: id, ...(entry.inputSpec ? { inputSpec: entry.inputSpec } : {}) }
}

interface MadeVariant {
  readonly entry?: ModelEntry
  /** Why the recipe's output is its parent over again; no variant is kept. */
  readonly noOp?: string
  readonly suggestedExclusions?: readonly string[]
}

/** One candidate's step on its parent, through the recipe runner, committed as a variant named after the candidate. */
async function makeCandidate(
  env: JobEnv,
  job: JobRun,
  parentId: ModelId,
  candidate: PlannedCandidate,
  baseline: ModelEntry,
  onProgress: (fraction: number, stage: string, detail?: string) => void,
): Promise<MadeVariant> {
  const step = candidate.steps[0] as RecipeStep
  const parent = await env.workspace.get(parentId)
  // Static int8 measures its per-layer error, so that a miss can be retried with the worst layers in float.
  const withReport: QuantizeOptions | undefined = step.step === 'quantize' && step.options.mode === 'static' ? { ...step.options, errorReport: true } : undefined
  const options: RecipeStep = withReport ? { step: 'quantize', options: withReport } : step
  let entry: ModelEntry
  try {
    entry = await makeVariant(env, job, parentId, options, { file: { recipeName: `tune ${candidate.key}` }, name: `${baseline.name} · ${candidate.label}`, onProgress })
  } catch (error) {
    // A recipe that refuses to make its parent over again says why; that is a finding, not a failure.
    if (error instanceof Error && error.name === 'UnchangedError') return { noOp: error.message }
    throw error
  }
  const same = (a: ModelEntry, b: ModelEntry): boolean =>
    a.inspection?.parameters.count === b.inspection?.parameters.count &&
    a.inspection?.sizeBytes === b.inspection?.sizeBytes &&
    JSON.stringify(a.inspection?.opHistogram) === JSON.stringify(b.inspection?.opHistogram)
  const summary = entry.lineage?.summary
  if (same(entry, parent)) {
    await env.workspace.remove(entry.id)
    const notes = (summary && 'notes' in summary ? summary.notes : undefined)?.filter((n) => /intact/i.test(n)) ?? []
    return { noOp: `same parameters, size and operators as its parent${notes.length ? ` (${notes.join(' ')})` : ''}` }
  }
  const suggested = summary && 'suggestedExclusions' in summary ? summary.suggestedExclusions : undefined
  return { entry, ...(suggested ? { suggestedExclusions: suggested } : {}) }
}

async function measureSettings(
  env: JobEnv,
  job: JobRun,
  model: BenchModel,
  benchOptions: BenchmarkOptions,
  objective: TuneObjective,
): Promise<MeasuredSetting[]> {
  const tries = settingsToTry(availableParallelism())
  const measured: MeasuredSetting[] = []
  for (const level of [...new Set(tries.map((t) => t.graphOptimizationLevel))]) {
    const threads = tries.filter((t) => t.graphOptimizationLevel === level).map((t) => t.intraOpThreads)
    const bench = await runBenchmarks(env.spawnWorker, [model], { ...benchOptions, threads, graphOptimizationLevel: level }, { signal: job.signal })
    for (const r of bench.results) {
      const halfWidth = medianHalfWidth(r)
      const value = objective === 'throughput' ? r.throughput.samplesPerSec : r.latencyMs.p50
      measured.push({
        settings: { intraOpThreads: r.threads, graphOptimizationLevel: level },
        value,
        halfWidth: objective === 'throughput' ? (value * halfWidth) / r.latencyMs.p50 : halfWidth,
      })
    }
  }
  return measured
}
