// "Keep these layers in float and re-quantize": the quantize job of the variant's parent with its recipe's
// options and the chosen nodes added to the exclusions (error report on, to see the result). Used by the
// Changes tab's per-layer error list and the graph view's node panel.
import type { JobRequest, ModelEntry } from '../../preload/api'
import { quantizeOptionsOf } from '../compare/lineage'

/** The request, or undefined when the variant was not made by ONNX quantization. */
export function requantizeRequest(variant: ModelEntry, keepFloat: Iterable<string>): JobRequest | undefined {
  const params = variant.lineage && quantizeOptionsOf(variant.lineage)
  if (!variant.lineage || !params) return undefined
  const excludeNodes = [...new Set([...(params.excludeNodes ?? []), ...keepFloat])]
  return { kind: 'quantize', modelId: variant.lineage.parentId, options: { ...params, excludeNodes, errorReport: true } }
}
