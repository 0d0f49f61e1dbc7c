// Worker tasks 'bench-model' (one model at one batch size and thread count) and 'bench-paired' (several
// models timed in alternation, for comparisons). The timing loops do nothing per iteration but run, read
// the clock and store a number in a preallocated array; progress goes out at most twice a second, and the
// adaptive stop (the median's interval narrow enough) is checked at geometrically spaced counts.
import { performance } from 'node:perf_hooks'
import * as ort from 'onnxruntime-node'
import type { GraphOptimizationLevel } from '../../../preload/api'
import { runtimeError, UserError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { cleanOrtMessage } from '../worker/ort-message'
import { createSession } from '../optimize/ort-feeds'
import type { HostTensor } from '../data/npy'
import { failedOnGeneratedInputs, type ResolvedInput } from './input-spec'
import { peakRss, startMemoryWatch } from './memory'
import { generateFeed } from './random-inputs'
import type { StopReason } from '../../../preload/api'
import { isStable, medianIsStable, pairedRatio, percentileOfSorted, quantileEstimate, sortedCopy } from './statistics'
import { isSavedModel } from '../tfjs/saved-model'
import { isTfjsModelPath } from '../tfjs/tfjs-io'
import type { BenchSession } from '../tfjs/tfjs-runner'

export interface BenchModelParams {
  readonly modelPath: string
  readonly inputs: readonly ResolvedInput[]
  readonly threads: number
  /** ONNX Runtime's graph optimization level (default 'all'). */
  readonly graphOptimizationLevel?: GraphOptimizationLevel
  readonly warmup: number
  /** Measure exactly this many runs, or (when undefined) until the median is stable or durationMs has passed. */
  readonly iterations?: number
  readonly durationMs?: number
  /** Relative half-width of the median's 95% interval at which a timed measurement stops (0: never early). */
  readonly stableWithin?: number
  /** Real data for some or all inputs, one batch (shapes must equal the resolved ones). */
  readonly feeds?: Readonly<Record<string, HostTensor>>
  readonly seed?: number
}

export interface BenchModelResult {
  readonly runtime: string
  readonly sessionCreateMs: number
  readonly firstRunMs: number
  readonly latenciesMs: Float64Array
  /** Bytes resident before the session was created, and the peak above that over the whole run. */
  readonly idleRssBytes: number
  readonly peakRssBytes: number
  readonly stop: StopReason
}

/** ONNX Runtime refused the model itself: every other configuration of it would fail the same way. */
export class ModelLoadError extends UserError {
  override name = 'ModelLoadError'
}

const PROGRESS_MS = 500
const MAX_ITERATIONS = 10_000_000
/** Runs before the adaptive stop is first checked: fewer leave p99 and the histogram meaningless. */
export const MIN_STABLE_RUNS = 20

/** The next count at which to check stability: 25% more runs, so that checking costs O(log n) sorts. */
function nextCheckAfter(count: number): number {
  return Math.max(MIN_STABLE_RUNS, Math.ceil(count * 1.25))
}

export function sessionOptions(threads: number, graphOptimizationLevel: GraphOptimizationLevel = 'all'): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel }
}

export function makeFeeds(params: Pick<BenchModelParams, 'inputs' | 'feeds' | 'seed'>): Record<string, ort.Tensor> {
  const generated = generateFeed(params.inputs, params.seed ?? 1)
  return ortFeeds(Object.fromEntries(params.inputs.map((input) => [input.name, params.feeds?.[input.name] ?? (generated[input.name] as HostTensor)])))
}

function ortFeeds(feed: Readonly<Record<string, HostTensor>>): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {}
  for (const [name, tensor] of Object.entries(feed))
    feeds[name] = new ort.Tensor(tensor.dtype as ort.Tensor.Type, tensor.data as ort.Tensor.DataType, [...tensor.dims])
  return feeds
}

/** How to open a model that runs through TF.js (model.json, or a SavedModel with tfjs-node); undefined for ONNX. */
export async function tfjsOpener(path: string): Promise<((path: string) => Promise<BenchSession>) | undefined> {
  if (isTfjsModelPath(path)) return (await import('../tfjs/tfjs-runner')).openTfjsSession
  if (await isSavedModel(path)) return (await import('../tfjs/saved-model-native')).openSavedModelSession
  return undefined
}

function median(samples: Float64Array, count: number): number {
  return percentileOfSorted(samples.slice(0, count).sort(), 0.5)
}

/** The samples in an array twice as long. */
function doubled(samples: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(samples.length * 2)
  grown.set(samples)
  return grown
}

type TimedSession = Pick<ort.InferenceSession, 'run' | 'release'> | BenchSession

/** Opens a model for timing: TF.js models (model.json) and SavedModels through TF.js, the rest in ONNX Runtime. */
async function openForTiming(
  modelPath: string,
  threads: number,
  openTfjs: Awaited<ReturnType<typeof tfjsOpener>>,
  graphOptimizationLevel?: GraphOptimizationLevel,
): Promise<TimedSession> {
  try {
    // The TF.js runners' load errors already name the file.
    return openTfjs ? await openTfjs(modelPath) : await createSession(modelPath, sessionOptions(threads, graphOptimizationLevel))
  } catch (error) {
    if (error instanceof UserError) throw new ModelLoadError(error.message, error.facts)
    throw runtimeError('ONNX Runtime cannot load it', cleanOrtMessage(error), modelPath, ModelLoadError)
  }
}

async function firstRun(session: TimedSession, feeds: Record<string, ort.Tensor>, generated: readonly ResolvedInput[]): Promise<void> {
  try {
    await session.run(feeds)
  } catch (error) {
    throw failedOnGeneratedInputs('the model fails to run on these inputs', cleanOrtMessage(error), generated)
  }
}

export async function benchModel(params: BenchModelParams, ctx: JobContext): Promise<BenchModelResult> {
  const total = params.iterations
  const durationMs = params.durationMs ?? 0
  if (total === undefined && durationMs <= 0) throw new UserError('give a number of iterations or a duration')
  ctx.progress(0, 'loading')
  // TF.js models are loaded before the idle baseline is taken.
  const openTfjs = await tfjsOpener(params.modelPath)
  const idleRssBytes = await startMemoryWatch()
  const createStart = performance.now()
  const session = await openForTiming(params.modelPath, params.threads, openTfjs, params.graphOptimizationLevel)
  const sessionCreateMs = performance.now() - createStart
  const feeds = makeFeeds(params)
  const signal = ctx.signal

  ctx.progress(0, 'warm-up', 'first run')
  const firstStart = performance.now()
  await firstRun(session, feeds, params.inputs.filter((input) => !params.feeds?.[input.name]))
  const firstRunMs = performance.now() - firstStart
  for (let i = 1; i < params.warmup; i++) {
    ctx.throwIfCancelled()
    await session.run(feeds)
    if (i % 10 === 0) ctx.progress(0, 'warm-up', `${i}/${params.warmup} runs`)
  }

  let samples = new Float64Array(total ?? 4096)
  let count = 0
  const runStart = performance.now()
  const deadline = total === undefined ? runStart + durationMs : Number.POSITIVE_INFINITY
  let nextReport = runStart + PROGRESS_MS
  const limit = total ?? MAX_ITERATIONS
  const stableWithin = total === undefined ? (params.stableWithin ?? 0) : 0
  let nextCheck = nextCheckAfter(0)
  let stop: StopReason = total === undefined ? 'budget' : 'runs'
  while (count < limit) {
    const t0 = performance.now()
    await session.run(feeds)
    const t1 = performance.now()
    if (count === samples.length) samples = doubled(samples)
    samples[count++] = t1 - t0
    if (t1 >= deadline || signal.aborted) break
    if (count >= nextCheck && stableWithin > 0) {
      if (medianIsStable(samples.subarray(0, count), stableWithin)) {
        stop = 'stable'
        break
      }
      nextCheck = nextCheckAfter(count)
    }
    if (t1 >= nextReport) {
      const seconds = (ms: number): string => (ms / 1000).toFixed(1)
      const fraction = total === undefined ? (t1 - runStart) / durationMs : count / total
      const done = total === undefined ? `${count} runs in ${seconds(t1 - runStart)}/${seconds(durationMs)} s` : `${count}/${total} runs`
      ctx.progress(fraction, 'measuring', `${done} · p50 ${median(samples, count).toFixed(3)} ms`)
      nextReport = performance.now() + PROGRESS_MS
    }
  }
  ctx.throwIfCancelled()
  const peakRssBytes = Math.max(0, (await peakRss()) - idleRssBytes)
  await session.release()
  ctx.progress(1, 'done', `${count} runs · p50 ${median(samples, count).toFixed(3)} ms`)
  return { runtime: runtimeOf(session), sessionCreateMs, firstRunMs, latenciesMs: samples.slice(0, count), idleRssBytes, peakRssBytes, stop }
}

function runtimeOf(session: TimedSession): string {
  return 'runtime' in session ? session.runtime : `ONNX Runtime ${ort.env.versions.node ?? ''}`.trim()
}

export interface BenchPairedParams {
  /** The models in report order (the baseline first), each with its feeds (one batch of data, cast to its input types). */
  readonly models: readonly { readonly modelPath: string; readonly feeds: Readonly<Record<string, HostTensor>> }[]
  readonly threads: number
  readonly warmup: number
  /** Stop after this long, or once every model's median and every ratio to the first model is within ± stableWithin. */
  readonly durationMs: number
  readonly stableWithin: number
}

export interface BenchPairedResult {
  readonly runtime: string
  /** latenciesMs[m][r]: model m's time in round r (every round runs every model once). */
  readonly latenciesMs: readonly Float64Array[]
  readonly stop: StopReason
}

/**
 * Times several models in alternation: each round runs every model once, starting one model later than the
 * round before, so that a slow phase of the machine or a position in the round weighs on all of them alike,
 * and round r of two models forms a pair.
 */
export async function benchPaired(params: BenchPairedParams, ctx: JobContext): Promise<BenchPairedResult> {
  const n = params.models.length
  if (n === 0 || !(params.durationMs > 0)) throw new UserError('give models and a time budget to time them in alternation')
  ctx.progress(0, 'loading')
  const sessions: TimedSession[] = []
  const feeds: Record<string, ort.Tensor>[] = []
  try {
    for (const model of params.models) {
      sessions.push(await openForTiming(model.modelPath, params.threads, await tfjsOpener(model.modelPath)))
      feeds.push(ortFeeds(model.feeds))
      await firstRun(sessions.at(-1) as TimedSession, feeds.at(-1) as Record<string, ort.Tensor>, [])
    }
    ctx.progress(0, 'warm-up')
    for (let i = 1; i < params.warmup; i++) for (let m = 0; m < n; m++) await (sessions[m] as TimedSession).run(feeds[m] as Record<string, ort.Tensor>)
    let rounds = params.models.map(() => new Float64Array(1024))
    let count = 0
    let nextCheck = nextCheckAfter(0)
    let nextReport = performance.now() + PROGRESS_MS
    const start = performance.now()
    const deadline = start + params.durationMs
    let stop: StopReason = 'budget'
    while (count < MAX_ITERATIONS) {
      ctx.throwIfCancelled()
      if (count === (rounds[0] as Float64Array).length) rounds = rounds.map(doubled)
      for (let k = 0; k < n; k++) {
        const m = (count + k) % n
        const t0 = performance.now()
        await (sessions[m] as TimedSession).run(feeds[m] as Record<string, ort.Tensor>)
        ;(rounds[m] as Float64Array)[count] = performance.now() - t0
      }
      count++
      const now = performance.now()
      if (now >= deadline) break
      if (count >= nextCheck && params.stableWithin > 0) {
        const taken = rounds.map((r) => r.subarray(0, count))
        const first = taken[0] as Float64Array
        const estimates = [...taken.map((r) => quantileEstimate(sortedCopy(r), 0.5)), ...taken.slice(1).map((r) => pairedRatio(r, first))]
        if (isStable(estimates, params.stableWithin)) {
          stop = 'stable'
          break
        }
        nextCheck = nextCheckAfter(count)
      }
      if (now >= nextReport) {
        ctx.progress((now - start) / params.durationMs, 'measuring', `${count} rounds of ${n} models`)
        nextReport = performance.now() + PROGRESS_MS
      }
    }
    ctx.progress(1, 'done', `${count} rounds`)
    return { runtime: runtimeOf(sessions[0] as TimedSession), latenciesMs: rounds.map((r) => r.slice(0, count)), stop }
  } finally {
    for (const session of sessions) await session.release()
  }
}
