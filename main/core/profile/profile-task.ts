// Worker task 'profile-model': runs one ONNX model with ONNX Runtime's profiler on, with the benchmark's
// session options (so the kernels are those the benchmark times), and turns the trace into time per node
// of the model file. Warm-up runs are in the trace too (profiling starts with the session) and are dropped.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { runtimeError, UserError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { readOnnxModel } from '../onnx/model-file'
import { createSession } from '../optimize/ort-feeds'
import { cleanOrtMessage } from '../worker/ort-message'
import { makeFeeds, ModelLoadError, sessionOptions } from '../bench/bench-task'
import { failedOnGeneratedInputs, type ResolvedInput } from '../bench/input-spec'
import { mapKernels } from './kernel-nodes'
import { profileTimes, type ProfileTimes } from './profile-stats'
import { parseTrace, type TraceEvent, type TraceRun } from './profile-trace'

export interface ProfileModelParams {
  readonly modelPath: string
  readonly inputs: readonly ResolvedInput[]
  readonly threads: number
  readonly warmup: number
  readonly runs: number
  readonly seed?: number
}

export interface ProfileModelResult extends ProfileTimes {
  readonly runtime: string
}

async function readTrace(dir: string): Promise<TraceEvent[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json'))
  if (files.length !== 1) throw new Error(`ONNX Runtime wrote ${files.length} profile files`)
  return JSON.parse(await readFile(join(dir, files[0] as string), 'utf8')) as TraceEvent[]
}

/** The profiled runs (warm-up left out), as ONNX Runtime's trace has them. */
export async function profiledRuns(params: ProfileModelParams, ctx: JobContext): Promise<TraceRun[]> {
  ctx.progress(0, 'loading')
  const dir = await mkdtemp(join(tmpdir(), 'slipway-profile-'))
  try {
    let session: ort.InferenceSession
    try {
      session = await createSession(params.modelPath, { ...sessionOptions(params.threads), enableProfiling: true, profileFilePrefix: join(dir, 'profile') })
    } catch (error) {
      throw runtimeError('ONNX Runtime cannot load it', cleanOrtMessage(error), params.modelPath, ModelLoadError)
    }
    const feeds = makeFeeds(params)
    const total = params.warmup + params.runs
    for (let i = 0; i < total; i++) {
      ctx.throwIfCancelled()
      try {
        await session.run(feeds)
      } catch (error) {
        throw failedOnGeneratedInputs('the model fails to run on these inputs', cleanOrtMessage(error), params.inputs)
      }
      ctx.progress((i + 1) / total, i < params.warmup ? 'warm-up' : 'profiling', `${i + 1}/${total} runs`)
    }
    session.endProfiling()
    await session.release()
    const runs = parseTrace(await readTrace(dir)).slice(params.warmup)
    if (runs.length !== params.runs) throw new UserError(`ONNX Runtime's profile holds ${runs.length} of ${params.runs} runs`)
    return runs
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function profileModel(params: ProfileModelParams, ctx: JobContext): Promise<ProfileModelResult> {
  const runs = await profiledRuns(params, ctx)
  const { model } = await readOnnxModel(params.modelPath)
  const mapping = mapKernels(model, runs.flatMap((run) => run.kernels))
  return { runtime: `ONNX Runtime ${ort.env.versions.node ?? ''}`.trim(), ...profileTimes(runs, mapping) }
}
