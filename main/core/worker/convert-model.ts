// Worker task: float32 → float16 conversion, validated against the parent before the file is written.
import { performance } from 'node:perf_hooks'
import type { Fp16Options, RecipeSummary } from '../../../preload/api'
import { FileError, UnchangedError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { openOnnxModel } from '../onnx/external-data-io'
import { rewritableModel } from '../optimize/rewritable-model'
import { convertToFp16 } from '../optimize/convert-fp16'
import { preflightChecks } from '../optimize/preflight'
import { stageOutput, writeProduced } from '../optimize/recipe-output'
import { recipeSummary } from '../optimize/recipe-summary'
import { firstBatches, runParentOnInputs } from '../optimize/recipe-io'
import { validateVariant } from '../optimize/validate-output'
import { nodeFilter } from '../optimize/node-rewrite'
import type { RecipeTaskParams } from './recipe-task-params'

export async function convertModel(params: RecipeTaskParams<Fp16Options>, ctx: JobContext): Promise<RecipeSummary> {
  const started = performance.now()
  const { options, modelPath: file } = params
  ctx.progress(0, 'checking the original')
  const parent = await runParentOnInputs(file, { path: options.dataPath, maxRows: 64, spec: params.inputSpec }, 64)
  const data = parent.data
  const loaded = await openOnnxModel(file)
  const checks = preflightChecks(loaded.model, 'fp16', undefined)
  if (checks.errors.length > 0) throw new FileError(file, checks.errors.join('; '))
  ctx.progress(0.2, 'converting')
  const stage = await stageOutput(params.outputPath)
  try {
    const result = await writeProduced(stage, loaded.external, () => {
      const converted = convertToFp16(rewritableModel(loaded.model, file), { keepIoTypes: options.keepIoTypes ?? false, ...nodeFilter(options) })
      if (converted.convertedTensors === 0) throw new UnchangedError('no float32 weights to convert')
      return converted
    })
    const warnings = [...checks.warnings]
    const { overflow, underflow } = result.clamped
    if (overflow > 0) warnings.push(`${overflow} weight values beyond ±65504 (float16's largest) were clamped to it`)
    if (underflow > 0) warnings.push(`${underflow} tiny nonzero weight values (below 6e-8) were raised to float16's smallest`)
    const validation = await validateVariant(parent.reference, stage.path, firstBatches(data.feeds, 64), data.given, ctx, { float16Inputs: new Set(result.float16Inputs), unoptimized: true })
    ctx.throwIfCancelled()
    const outputBytes = await stage.sizeBytes()
    await stage.commit()
    ctx.progress(1, 'done')
    return recipeSummary({
      recipe: options.keepIoTypes ? 'fp16 (float32 inputs and outputs)' : 'fp16',
      parentBytes: loaded.sizeBytes,
      outputBytes,
      converted: result.converted,
      leftAsIs: result.leftAsIs,
      warnings,
      durationMs: performance.now() - started,
      validation,
    })
  } finally {
    await stage.discard()
  }
}
