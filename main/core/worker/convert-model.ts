// Worker task: float32 → float16 conversion, validated against the parent before the file is written.
import { performance } from 'node:perf_hooks'
import type { ConvertOptions, RecipeSummary } from '../../../preload/api'
import { UserError } from '../errors'
import { writeFileAtomic } from '../serving/atomic-write'
import type { JobContext } from '../jobs/job-context'
import { encodeModel } from '../onnx/codec'
import { readOnnxModel } from '../onnx/model-file'
import { rewritableModel } from '../optimize/rewritable-model'
import { convertToFp16 } from '../optimize/convert-fp16'
import { preflightChecks } from '../optimize/preflight'
import { recipeSummary } from '../optimize/recipe-summary'
import { firstBatches, recipeFeeds, runParentOrExplain } from '../optimize/recipe-io'
import { validateVariant } from '../optimize/validate-output'
import { refuseExternalData } from './quantize-model'

export interface ConvertModelParams {
  readonly modelPath: string
  readonly outputPath: string
  readonly options: ConvertOptions
}

export async function convertModel(params: ConvertModelParams, ctx: JobContext): Promise<RecipeSummary> {
  const started = performance.now()
  const { options, modelPath: file } = params
  ctx.progress(0, 'checking the original')
  const parent = await runParentOrExplain(file, (inputs) => recipeFeeds(inputs, options.dataPath, 64), (data) => firstBatches(data.feeds, 64))
  const data = parent.data
  const loaded = await readOnnxModel(file)
  refuseExternalData(loaded.model, file)
  const checks = preflightChecks(loaded.model, 'fp16', undefined)
  if (checks.errors.length > 0) throw new UserError(`${file}: ${checks.errors.join('; ')}`)
  ctx.progress(0.2, 'converting')
  const result = convertToFp16(rewritableModel(loaded.model, file), {
    keepIoTypes: options.keepIoTypes ?? false,
    ...(options.opTypes?.length ? { opTypes: new Set(options.opTypes) } : {}),
    ...(options.excludeNodes?.length ? { excludeNodes: new Set(options.excludeNodes) } : {}),
  })
  if (result.convertedTensors === 0) throw new UserError(`${file}: no float32 weights to convert; no file was written`)
  const warnings = [...checks.warnings]
  const { overflow, underflow } = result.clamped
  if (overflow > 0) warnings.push(`${overflow} weight values beyond ±65504 (float16's largest) were clamped to it`)
  if (underflow > 0) warnings.push(`${underflow} tiny nonzero weight values (below 6e-8) were raised to float16's smallest`)
  const bytes = encodeModel(result.model)
  const validation = await validateVariant(parent.reference, bytes, firstBatches(data.feeds, 64), data.given, ctx, new Set(result.float16Inputs))
  ctx.throwIfCancelled()
  await writeFileAtomic(params.outputPath, bytes)
  ctx.progress(1, 'done')
  return recipeSummary({
    recipe: options.keepIoTypes ? 'fp16 (float32 inputs and outputs)' : 'fp16',
    parentBytes: loaded.bytes.length,
    outputBytes: bytes.length,
    converted: result.converted,
    leftAsIs: result.leftAsIs,
    warnings,
    durationMs: performance.now() - started,
    validation,
  })
}
