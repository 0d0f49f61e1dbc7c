// The summary every recipe run returns: sizes, what was converted (by op type), what was left and why.
import type { LeftAsIs, RecipeSummary, TensorError, Validation } from '../../../preload/api'
import type { NodeProto } from '../onnx/onnx-types'

export function countByOp(nodes: readonly NodeProto[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const node of nodes) counts[node.opType ?? ''] = (counts[node.opType ?? ''] ?? 0) + 1
  return counts
}

export function recipeSummary(fields: {
  recipe: string
  parentBytes: number
  outputBytes: number
  converted: readonly NodeProto[]
  leftAsIs: readonly LeftAsIs[]
  warnings: readonly string[]
  notes?: readonly string[]
  durationMs: number
  validation: Validation
  errorReport?: { errors: readonly TensorError[]; suggested: readonly string[] }
}): RecipeSummary {
  const { loads: _loads, ...validation } = fields.validation
  return {
    recipe: fields.recipe,
    parentBytes: fields.parentBytes,
    outputBytes: fields.outputBytes,
    sizeRatio: Math.round((fields.outputBytes / fields.parentBytes) * 10000) / 10000,
    converted: countByOp(fields.converted),
    leftAsIs: fields.leftAsIs,
    warnings: fields.warnings,
    ...(fields.notes?.length ? { notes: fields.notes } : {}),
    durationMs: Math.round(fields.durationMs),
    validation,
    ...(fields.errorReport ? { errorReport: fields.errorReport.errors, suggestedExclusions: fields.errorReport.suggested } : {}),
  }
}
