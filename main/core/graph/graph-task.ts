// Worker task: a model's graph for the Graph tab. In the worker because a big model's weights are read
// and summarized (statistics of every stored tensor) and its graph is walked, which would hold the engine.
import type { ModelFormat } from '../../../preload/api'
import type { ModelGraph } from '../../../preload/api-graph'
import type { JobContext } from '../jobs/job-context'
import { openOnnxModel } from '../onnx/external-data-io'
import { readTfjsModelJson } from '../tfjs/model-json'
import { onnxGraph } from './onnx-graph'
import { tfjsGraph } from './tfjs-graph'

export interface ModelGraphParams {
  readonly path: string
  readonly format: ModelFormat
}

export async function modelGraph(params: ModelGraphParams, ctx: JobContext): Promise<ModelGraph> {
  ctx.progress(0, 'reading')
  const graph = params.format === 'onnx' ? onnxGraph((await openOnnxModel(params.path)).model) : await tfjsGraph(await readTfjsModelJson(params.path))
  ctx.progress(1, 'done')
  return graph
}
