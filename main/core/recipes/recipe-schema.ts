// The recipe format (JSON): a list of steps, each step's output the next one's parent. The CLI's
// `slipway apply` and the UI's recipe job read the same format through these schemas.
import { z } from 'zod'
import type { Fp16Options, GraphOptimizeOptions, PruneOptions, QuantizeOptions, Recipe, RecipeStep } from '../../../preload/api'
import { FileError } from '../errors'
import { readUserText } from '../fs/read-user-file'
import { namesSchema, pathSchema } from '../contract-schema'

const fraction = z.number().finite().min(0).lt(1)

export const pruneOptionsSchema: z.ZodType<PruneOptions> = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('magnitude'),
      sparsity: fraction,
      scope: z.enum(['global', 'layer']).optional(),
      excludeNodes: namesSchema.optional(),
      dataPath: pathSchema.optional(),
      includeFirstLast: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      method: z.literal('structured'),
      ratio: fraction,
      criterion: z.enum(['l1', 'l2']).optional(),
      channelMultiple: z.number().int().min(1).max(256).optional(),
      excludeNodes: namesSchema.optional(),
      dataPath: pathSchema.optional(),
      includeFirstLast: z.boolean().optional(),
    })
    .strict(),
])

export const graphOptimizeOptionsSchema: z.ZodType<GraphOptimizeOptions> = z
  .object({ level: z.enum(['basic', 'extended', 'all']), dataPath: pathSchema.optional() })
  .strict()

/** Quantization options, for the quantize job and a recipe file's quantize step alike. */
export const quantizeOptionsSchema: z.ZodType<QuantizeOptions> = z
  .object({
    mode: z.enum(['dynamic', 'static', 'int4']),
    calibPath: pathSchema.optional(),
    method: z.enum(['minmax', 'percentile', 'entropy']).optional(),
    percentile: z.number().gt(50).max(100).optional(),
    perChannel: z.boolean().optional(),
    samples: z.number().int().positive().max(1_000_000).optional(),
    blockSize: z.union([z.literal(32), z.literal(64), z.literal(128)]).optional(),
    symmetric: z.boolean().optional(),
    opTypes: namesSchema.optional(),
    excludeNodes: namesSchema.optional(),
    errorReport: z.boolean().optional(),
  })
  .strict()
  .refine((o) => o.mode !== 'static' || o.calibPath !== undefined, { message: 'static quantization needs calibPath (calibration data)' })

/** float16 options' fields; the convert job's request adds its target (`to`). */
export const fp16OptionFields = {
  keepIoTypes: z.boolean().optional(),
  dataPath: pathSchema.optional(),
  opTypes: namesSchema.optional(),
  excludeNodes: namesSchema.optional(),
}

const fp16OptionsSchema: z.ZodType<Fp16Options> = z.object(fp16OptionFields).strict()

export const recipeStepSchema: z.ZodType<RecipeStep> = z.discriminatedUnion('step', [
  z.object({ step: z.literal('prune'), options: pruneOptionsSchema }).strict(),
  z.object({ step: z.literal('optimize'), options: graphOptimizeOptionsSchema }).strict(),
  z.object({ step: z.literal('quantize'), options: quantizeOptionsSchema }).strict(),
  z.object({ step: z.literal('fp16'), options: fp16OptionsSchema.optional() }).strict(),
])

export const recipeSchema: z.ZodType<Recipe> = z
  .object({ name: z.string().min(1).max(200).optional(), steps: z.array(recipeStepSchema).min(1).max(20) })
  .strict()

/** One line per problem, with the JSON path where it is ("steps.1.options.ratio: ..."). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ')
}

/** Parses recipe JSON text; `file` names the source in errors. */
export function parseRecipe(text: string, file: string): Recipe {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new FileError(file, `not valid JSON (${(error as Error).message})`)
  }
  const parsed = recipeSchema.safeParse(json)
  if (!parsed.success) throw new FileError(file, `not a valid recipe: ${describeIssues(parsed.error)}`)
  return parsed.data
}

export async function readRecipeFile(path: string): Promise<Recipe> {
  const text = await readUserText(path)
  return parseRecipe(text, path)
}

/** A short label for a step ("prune structured 0.3", "quantize static") used in names and progress. */
export function stepLabel(step: RecipeStep): string {
  switch (step.step) {
    case 'prune':
      return step.options.method === 'magnitude' ? `prune ${step.options.sparsity} sparsity` : `prune structured ${step.options.ratio}`
    case 'optimize':
      return `optimize ${step.options.level}`
    case 'quantize':
      return `quantize ${step.options.mode}`
    case 'fp16':
      return 'fp16'
  }
}
