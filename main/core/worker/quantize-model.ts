// Worker task: quantize a model (dynamic int8, static int8 QDQ with calibration, or int4 MatMulNBits),
// validate the result against the parent, and only then write it. A failure or a cancel leaves no file.
import { performance } from 'node:perf_hooks'
import type { LeftAsIs, QuantizeOptions, RecipeSummary } from '../../../preload/api'
import { FileError, ProblemError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { encodeModel } from '../onnx/codec'
import { openOnnxModel } from '../onnx/external-data-io'
import type { ModelProto, NodeProto } from '../onnx/onnx-types'
import { quantizeInt4Model } from '../optimize/int4-matmulnbits'
import { cpuInstructionSets, preflightChecks } from '../optimize/preflight'
import { nothingToQuantize } from '../optimize/nothing-to-quantize'
import { basicOptimized } from '../optimize/preprocess'
import { quantizeDynamic } from '../optimize/quantize-dynamic'
import { rewritableModel } from '../optimize/rewritable-model'
import { quantizeStatic, type StaticResult } from '../optimize/quantize-static'
import { stageOutput, writeStaged } from '../optimize/recipe-output'
import { recipeSummary } from '../optimize/recipe-summary'
import { firstBatches, runParentOnInputs } from '../optimize/recipe-io'
import { sqnrReport } from '../optimize/sqnr-report'
import { validateVariant } from '../optimize/validate-output'
import { nodeFilter } from '../optimize/node-rewrite'
import type { RecipeTaskParams } from './recipe-task-params'


/** Rows the output is checked on against the parent (and the error report measured on). */
const VALIDATION_ROWS = 64

const computedWeight = /weights are computed|both inputs are computed/

export async function quantizeModel(params: RecipeTaskParams<QuantizeOptions>, ctx: JobContext): Promise<RecipeSummary> {
  const started = performance.now()
  const { options, modelPath: file } = params
  if (options.mode === 'static' && !options.calibPath)
    throw new ProblemError({ code: 'calibration-needed' })
  ctx.progress(0, 'checking the original')
  const parent = await runParentOnInputs(file, { path: options.calibPath, maxRows: options.samples, spec: params.inputSpec }, VALIDATION_ROWS)
  const data = parent.data
  ctx.throwIfCancelled()
  ctx.progress(0.03, 'reading')
  const loaded = await openOnnxModel(file)
  const checks = preflightChecks(loaded.model, options.mode, await cpuInstructionSets())
  if (checks.errors.length > 0) throw new FileError(file, checks.errors.join('; '))
  const common = nodeFilter(options)
  const stage = await stageOutput(params.outputPath)
  try {
    let model: ModelProto
    let converted: readonly NodeProto[]
    let leftAsIs: readonly LeftAsIs[]
    let staticResult: StaticResult | undefined
    if (options.mode === 'static') {
      staticResult = await quantizeStatic(file, loaded.model, loaded.external, stage.dir, data.feeds, {
        method: options.method ?? 'minmax',
        ...(options.percentile === undefined ? {} : { percentile: options.percentile }),
        perChannel: options.perChannel ?? false,
        ...common,
      }, ctx)
      ;({ model, leftAsIs } = staticResult)
      converted = staticResult.placement.quantized
    } else if (options.mode === 'dynamic') {
      ctx.progress(0.1, 'quantizing')
      const dynamicOptions = { perChannel: options.perChannel ?? false, ...common }
      const prepared = rewritableModel(loaded.model, file)
      let result = quantizeDynamic(prepared, file, dynamicOptions)
      // Weights computed from constants (PyTorch's LSTM gates: Slice/Concat of Constants) are stored once
      // ONNX Runtime's basic optimizations fold them, as its quantizer's pre-processing does.
      if (result.leftAsIs.some((l) => computedWeight.test(l.reason))) {
        ctx.progress(0.12, 'pre-processing', 'folding computed weights')
        const folded = quantizeDynamic((await basicOptimized(encodeModel(prepared), file, false, stage.dir)).model, file, dynamicOptions)
        if (folded.converted.length > result.converted.length) result = folded
      }
      ;({ model, converted, leftAsIs } = result)
    } else {
      ctx.progress(0.1, 'quantizing')
      const result = quantizeInt4Model(rewritableModel(loaded.model, file), { blockSize: options.blockSize ?? 32, symmetric: options.symmetric ?? false, ...common })
      ;({ model, converted, leftAsIs } = result)
    }
    if (converted.length === 0) {
      const why = leftAsIs.slice(0, 5).map((l) => `${l.node}: ${l.reason}`).join('; ')
      const message = `nothing to quantize in ${options.mode} mode${why ? ` (${why})` : ' (no MatMul or Gemm with stored weights)'}`
      throw nothingToQuantize(`in ${options.mode} mode`, leftAsIs, message)
    }
    ctx.progress(0.75, 'encoding')
    await writeStaged(stage, model, loaded.external)
    const checkFeeds = firstBatches(data.feeds, VALIDATION_ROWS)
    const validation = await validateVariant(parent.reference, stage.path, checkFeeds, data.given, ctx, { prepack: options.mode === 'int4' })
    const errorReport =
      staticResult && options.errorReport
        ? await sqnrReport(staticResult.floatModel, model, staticResult.params, checkFeeds, ctx, staticResult.floatModelDir)
        : undefined
    ctx.throwIfCancelled()
    ctx.progress(0.95, 'writing')
    const outputBytes = await stage.sizeBytes()
    await stage.commit()
    ctx.progress(1, 'done')
    return recipeSummary({
      recipe: options.mode === 'int4' ? 'int4' : `${options.mode} int8`,
      parentBytes: loaded.sizeBytes,
      outputBytes,
      converted,
      leftAsIs,
      warnings: checks.warnings,
      notes: (staticResult?.padded ?? []).map(
        (p) => `${p.node}: input channels padded ${p.from} → ${p.to} with zeros (same outputs), so ONNX Runtime runs it with its fast int8 convolution kernel`,
      ),
      durationMs: performance.now() - started,
      validation,
      ...(errorReport ? { errorReport } : {}),
    })
  } finally {
    await stage.discard()
  }
}
