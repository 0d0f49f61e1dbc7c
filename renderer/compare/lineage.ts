// What the views read from a variant's lineage, by its recipe (the lineage's discriminant): the quantize
// or float16 summary, the notes a recipe wrote, whether it runs on integer kernels, and the options to
// quantize its parent again.
import type { LineageStep, QuantizeOptions, RecipeSummary } from '../../preload/api'

/** The summary of an ONNX quantize or float16 recipe (converted ops, nodes left as they were, error report). */
export function recipeSummaryOf(lineage: LineageStep | undefined): RecipeSummary | undefined {
  switch (lineage?.recipe) {
    case 'quantize dynamic':
    case 'quantize static':
    case 'quantize int4':
    case 'quantize':
    case 'fp16':
      return lineage.summary
    default:
      return undefined
  }
}

/** What the recipe says about its result, in plain words (notes, then warnings). */
export function lineageNotes(lineage: LineageStep | undefined): readonly string[] {
  if (!lineage?.summary) return []
  switch (lineage.recipe) {
    case 'quantize dynamic':
    case 'quantize static':
    case 'quantize int4':
    case 'quantize':
    case 'fp16':
      return [...(lineage.summary.notes ?? []), ...lineage.summary.warnings]
    case 'prune':
    case 'optimize':
    case 'tfjs-prune':
      return lineage.summary.notes
    default:
      return []
  }
}

/** ONNX int8 or int4 quantization: what runs on the CPU's integer kernels (TF.js dequantizes at load). */
export function isOnnxQuantized(lineage: LineageStep | undefined): boolean {
  return lineage !== undefined && quantizeOptionsOf(lineage) !== undefined
}

/** Pruned weights (ONNX or TF.js), whatever the method. */
export function isPruned(lineage: LineageStep | undefined): boolean {
  return lineage?.recipe === 'prune' || lineage?.recipe === 'tfjs-prune'
}

/** The options this variant was quantized with, to quantize its parent again (a recipe file's step included). */
export function quantizeOptionsOf(lineage: LineageStep): QuantizeOptions | undefined {
  switch (lineage.recipe) {
    case 'quantize dynamic':
    case 'quantize static':
    case 'quantize int4':
      return lineage.params
    case 'quantize': {
      const { recipeName: _recipe, stepIndex: _step, ...options } = lineage.params
      return options
    }
    default:
      return undefined
  }
}
