// A variant against its parent, grouped by operator: what the recipe quantized, converted, pruned, fused
// or removed, and which ops it added, with the worst per-layer error (SQNR) where the recipe measured it.
import type { Inspection, LineageStep, RecipeSummary, TensorError } from '../../preload/api'
import { isOnnxQuantized, isPruned, recipeSummaryOf } from './lineage'

export type OpChangeKind = 'quantized' | 'converted' | 'added' | 'removed' | 'fewer' | 'more' | 'pruned' | 'unchanged'

export interface OpChange {
  readonly op: string
  readonly parentCount: number
  readonly variantCount: number
  readonly kind: OpChangeKind
  /** Nodes of this op the recipe converted (quantized, or to float16). */
  readonly converted: number
  /** The op's measured nodes, worst SQNR first. */
  readonly errors: readonly TensorError[]
  readonly worstSqnrDb: number | undefined
}

const ORDER: readonly OpChangeKind[] = ['quantized', 'converted', 'pruned', 'removed', 'fewer', 'added', 'more', 'unchanged']

export function structuralDiff(parent: Inspection, variant: Inspection, lineage: LineageStep): OpChange[] {
  const ops = new Set([...Object.keys(parent.opHistogram), ...Object.keys(variant.opHistogram)])
  const summary: RecipeSummary | undefined = recipeSummaryOf(lineage)
  const isQuantize = isOnnxQuantized(lineage)
  const isPrune = isPruned(lineage) && variant.parameters.count < parent.parameters.count
  const changes = [...ops].map((op): OpChange => {
    const parentCount = parent.opHistogram[op] ?? 0
    const variantCount = variant.opHistogram[op] ?? 0
    const converted = summary?.converted?.[op] ?? 0
    const errors = (summary?.errorReport ?? []).filter((e) => e.op === op).sort((a, b) => a.sqnrDb - b.sqnrDb)
    const kind: OpChangeKind =
      converted > 0
        ? isQuantize
          ? 'quantized'
          : 'converted'
        : parentCount === 0
          ? 'added'
          : variantCount === 0
            ? 'removed'
            : variantCount < parentCount
              ? 'fewer'
              : variantCount > parentCount
                ? 'more'
                : isPrune && /^(Conv|Gemm|MatMul|ConvTranspose)$/.test(op)
                  ? 'pruned'
                  : 'unchanged'
    return { op, parentCount, variantCount, kind, converted, errors, worstSqnrDb: errors[0]?.sqnrDb }
  })
  return changes.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || b.parentCount + b.variantCount - (a.parentCount + a.variantCount) || a.op.localeCompare(b.op))
}

export const changeWords: Readonly<Record<OpChangeKind, string>> = {
  quantized: 'quantized',
  converted: 'converted',
  added: 'added',
  removed: 'fused or removed',
  fewer: 'some fused or removed',
  more: 'more',
  pruned: 'channels pruned',
  unchanged: 'unchanged',
}

/** SQNR bands: ≥ 30 dB is faithful, 20–30 dB is worth a look, below 20 dB often costs accuracy. */
export function sqnrBand(sqnrDb: number | undefined): 'good' | 'fair' | 'poor' | 'unknown' {
  if (sqnrDb === undefined) return 'unknown'
  return sqnrDb >= 30 ? 'good' : sqnrDb >= 20 ? 'fair' : 'poor'
}
