// Static int8 quantization in QDQ form: pre-process, place Q/DQ pairs, calibrate the activations on
// the user's data in this (worker) process, rewrite. Validation and writing are the caller's.
import type { Feed } from '../data/load-tensors'
import { nothingToQuantize } from './nothing-to-quantize'
import { encodeModel } from '../onnx/codec'
import { indexGraph } from '../onnx/graph-index'
import { graphsWithin } from '../onnx/graph-walk'
import type { ModelProto } from '../onnx/onnx-types'
import type { JobContext } from '../jobs/job-context'
import { calibrateRanges, type CalibrationMethod, type TensorRange } from './calibrate'
import { recipeOpset, upgradeOpset } from '../onnx/opset-upgrade'
import { basicOptimized } from './preprocess'
import { padConvChannels, type PaddedConv } from './qdq-pad-channels'
import { placeQdq, type Placement } from './qdq-placement'
import { rewriteQdq } from './qdq-rewrite'
import type { QuantParams } from './quant-params'
import type { LeftAsIs } from '../../../preload/api'
import type { NodeFilter } from './node-rewrite'

export interface StaticOptions extends NodeFilter {
  readonly method: CalibrationMethod
  readonly percentile?: number
  readonly perChannel: boolean
}

export interface StaticResult {
  /** The pre-processed float model the ranges belong to (the SQNR report compares against it). */
  readonly floatModel: ModelProto
  /** The folder of the float model's side file, when the model has external data. */
  readonly floatModelDir: string
  readonly model: ModelProto
  readonly placement: Placement
  readonly ranges: ReadonlyMap<string, TensorRange>
  readonly params: ReadonlyMap<string, QuantParams>
  readonly leftAsIs: readonly LeftAsIs[]
  /** Convs whose input channels were padded to a multiple of 4 for ONNX Runtime's fast int8 kernel. */
  readonly padded: readonly PaddedConv[]
}

/** `workDir` holds the pre-processed model (and its side file) until the caller removes it. */
export async function quantizeStatic(
  file: string,
  original: ModelProto,
  external: boolean,
  workDir: string,
  feeds: readonly Feed[],
  options: StaticOptions,
  ctx: JobContext,
): Promise<StaticResult> {
  ctx.progress(0.02, 'pre-processing')
  // Upgraded first: ONNX Runtime runs no model older than opset 7, and the rewrite writes opset 13 ops.
  const upgraded = upgradeOpset(original, recipeOpset, file)
  const optimized = await basicOptimized(upgraded === original ? file : encodeModel(upgraded), file, external, workDir)
  const floatModel = optimized.model
  // Every graph gets its own placement: networks inside If/Loop/Scan bodies are quantized too.
  const placements = new Map((floatModel.graph ? graphsWithin(floatModel.graph) : []).map((g) => [g, placeQdq(g, indexGraph(g), options)]))
  const placement = mergedPlacement([...placements.values()])
  if (placement.quantized.length === 0)
    throw nothingToQuantize('in static mode', placement.leftAsIs, `nothing to quantize: ${describeNothing(placement.leftAsIs)}`)
  ctx.throwIfCancelled()
  const ranges = await calibrateRanges(floatModel, placement.activations, feeds, {
    method: options.method,
    ...(options.percentile === undefined ? {} : { percentile: options.percentile }),
    ctx,
    modelDir: optimized.dir,
    from: 0.05,
    to: 0.7,
  })
  ctx.progress(0.72, 'quantizing')
  const rewritten = rewriteQdq(floatModel, placements, ranges)
  const { model, padded } = padConvChannels(rewritten.model)
  const leftAsIs = [
    ...placement.leftAsIs,
    ...rewritten.uncalibrated.map((name) => ({ node: name, op: 'tensor', reason: 'not float32 at run time (left as is)' })),
  ]
  return { floatModel, floatModelDir: optimized.dir, model, placement, ranges, params: rewritten.params, leftAsIs, padded }
}

/** The placements of all graphs as one, for calibration and the summary. */
function mergedPlacement(all: readonly Placement[]): Placement {
  return {
    activations: [...new Set(all.flatMap((p) => p.activations))],
    shared: new Map(all.flatMap((p) => [...p.shared])),
    folded: new Set(all.flatMap((p) => [...p.folded])),
    weights: all.flatMap((p) => p.weights),
    quantized: all.flatMap((p) => p.quantized),
    leftAsIs: all.flatMap((p) => p.leftAsIs),
  }
}

function describeNothing(leftAsIs: readonly LeftAsIs[]): string {
  if (leftAsIs.length === 0) return 'the model has no Conv, MatMul, Gemm, Add, Mul or pooling ops'
  return leftAsIs.slice(0, 5).map((l) => `${l.node} (${l.reason})`).join('; ')
}
