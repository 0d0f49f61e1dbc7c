// Worker task: MACs of one sample with sizes the user gave for a model's dynamic dims (the Overview's
// "try a size"). In the worker because the model is read and its shapes inferred, which would hold the engine.
import type { MacsEstimate } from '../../../preload/api'
import type { JobContext } from '../jobs/job-context'
import { readOnnxModel } from '../onnx/model-file'
import { macsForOneSample } from './inspect-onnx'

export interface MacsTaskParams {
  readonly path: string
  readonly shapes: Readonly<Record<string, readonly number[]>>
}

export async function estimateMacsTask(params: MacsTaskParams, ctx: JobContext): Promise<MacsEstimate> {
  ctx.progress(0, 'reading')
  return macsForOneSample((await readOnnxModel(params.path)).model, params.shapes)
}
