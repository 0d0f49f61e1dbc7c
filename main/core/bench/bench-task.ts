// Worker task 'bench-model': times one model at one batch size and thread count. The timing loop does
// nothing per iteration but run, read the clock and store a number in a preallocated array; progress
// goes out at most twice a second, between iterations.
import { performance } from 'node:perf_hooks'
import * as ort from 'onnxruntime-node'
import type { GraphOptimizationLevel } from '../../../preload/api'
import { UserError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { cleanOrtMessage } from '../worker/ort-message'
import { createSession } from '../optimize/ort-feeds'
import type { HostTensor } from '../data/npy'
import { failedOnGeneratedInputs, type ResolvedInput } from './input-spec'
import { peakRss, startMemoryWatch } from './memory'
import { generateFeed } from './random-inputs'
import { percentileOfSorted } from './statistics'
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
  /** Measure this many runs, or (when undefined) as many as fit in durationMs. */
  readonly iterations?: number
  readonly durationMs?: number
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
}

/** ONNX Runtime refused the model itself: every other configuration of it would fail the same way. */
export class ModelLoadError extends UserError {
  override name = 'ModelLoadError'
}

const PROGRESS_MS = 500
const MAX_ITERATIONS = 10_000_000

export function sessionOptions(threads: number, graphOptimizationLevel: GraphOptimizationLevel = 'all'): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel }
}

export function makeFeeds(params: Pick<BenchModelParams, 'inputs' | 'feeds' | 'seed'>): Record<string, ort.Tensor> {
  const generated = generateFeed(params.inputs, params.seed ?? 1)
  const feeds: Record<string, ort.Tensor> = {}
  for (const input of params.inputs) {
    const tensor = params.feeds?.[input.name] ?? (generated[input.name] as HostTensor)
    feeds[input.name] = new ort.Tensor(tensor.dtype as ort.Tensor.Type, tensor.data as ort.Tensor.DataType, [...tensor.dims])
  }
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

export async function benchModel(params: BenchModelParams, ctx: JobContext): Promise<BenchModelResult> {
  const total = params.iterations
  const durationMs = params.durationMs ?? 0
  if (total === undefined && durationMs <= 0) throw new UserError('give a number of iterations or a duration')
  ctx.progress(0, 'loading')
  // TF.js models (model.json) and SavedModels run through TF.js, loaded before the idle baseline is taken.
  const openTfjs = await tfjsOpener(params.modelPath)
  const idleRssBytes = await startMemoryWatch()
  const createStart = performance.now()
  let session: Pick<ort.InferenceSession, 'run' | 'release'> | BenchSession
  try {
    // The TF.js runners' load errors already name the file.
    session = openTfjs
      ? await openTfjs(params.modelPath)
      : await createSession(params.modelPath, sessionOptions(params.threads, params.graphOptimizationLevel))
  } catch (error) {
    if (error instanceof UserError) throw new ModelLoadError(error.message)
    throw new ModelLoadError(`${params.modelPath}: ONNX Runtime cannot load it: ${cleanOrtMessage(error)}`)
  }
  const sessionCreateMs = performance.now() - createStart
  const feeds = makeFeeds(params)
  const signal = ctx.signal

  ctx.progress(0, 'warm-up', 'first run')
  const firstStart = performance.now()
  try {
    await session.run(feeds)
  } catch (error) {
    const failure = `the model fails to run on these inputs: ${cleanOrtMessage(error)}`
    throw failedOnGeneratedInputs(failure, params.inputs.filter((input) => !params.feeds?.[input.name]))
  }
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
  while (count < limit) {
    const t0 = performance.now()
    await session.run(feeds)
    const t1 = performance.now()
    if (count === samples.length) {
      const grown = new Float64Array(samples.length * 2)
      grown.set(samples)
      samples = grown
    }
    samples[count++] = t1 - t0
    if (t1 >= deadline || signal.aborted) break
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
  const runtime = 'runtime' in session ? session.runtime : `ONNX Runtime ${ort.env.versions.node ?? ''}`.trim()
  return { runtime, sessionCreateMs, firstRunMs, latenciesMs: samples.slice(0, count), idleRssBytes, peakRssBytes }
}
