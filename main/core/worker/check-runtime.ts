// Whether the runtime (ONNX Runtime, or TF.js on its backend) loads a model: the check shown on the model page.
import { performance } from 'node:perf_hooks'
import * as ort from 'onnxruntime-node'
import type { RuntimeCheck } from '../../../preload/api'
import type { JobContext } from '../jobs/job-context'
import { cleanOrtMessage } from './ort-message'

export interface CheckRuntimeParams {
  readonly modelPath: string
  readonly format: 'onnx' | 'tfjs-layers' | 'tfjs-graph'
}

export async function checkRuntime(params: CheckRuntimeParams, ctx: JobContext): Promise<RuntimeCheck> {
  ctx.progress(0, 'loading')
  // TF.js loads only for TF.js models: reading its CommonJS bundle costs an ONNX inspection ~0.5 s.
  if (params.format !== 'onnx') return (await import('../tfjs/tfjs-model')).checkTfjsRuntime(params.modelPath)
  const runtime = `ONNX Runtime ${ort.env.versions.node ?? ''}`.trim()
  const started = performance.now()
  try {
    const session = await ort.InferenceSession.create(params.modelPath, { intraOpNumThreads: 1 })
    const sessionCreateMs = performance.now() - started
    await session.release()
    return { loads: true, runtime, sessionCreateMs }
  } catch (error) {
    return { loads: false, runtime, error: cleanOrtMessage(error) }
  }
}
