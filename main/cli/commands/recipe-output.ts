// How quantize and convert print their summary: sizes, what changed, what was left and why, the output
// check against the parent, and (static) the error report with suggested exclusions.
import type { RecipeSummary } from '../../../preload/api'

const kb = (n: number): string => `${(n / 1000).toFixed(1)} KB`

export function formatRecipeSummary(out: string, s: RecipeSummary): string {
  const lines = [`wrote ${out}: ${kb(s.outputBytes)} (${s.sizeRatio.toFixed(3)}× of ${kb(s.parentBytes)}) in ${(s.durationMs / 1000).toFixed(1)} s`]
  const converted = Object.entries(s.converted).map(([op, n]) => `${n} ${op}`)
  lines.push(`converted: ${converted.join(', ') || 'nothing'}`)
  for (const left of s.leftAsIs) lines.push(`  left as is: ${left.node} (${left.op}): ${left.reason}`)
  for (const note of s.notes ?? []) lines.push(`note: ${note}`)
  for (const w of s.warnings) lines.push(`warning: ${w}`)
  const v = s.validation
  lines.push(`checked against the original on ${v.rows} rows of ${v.inputs}:`)
  for (const o of v.outputs)
    lines.push(
      `  ${o.name}: SQNR ${o.sqnrDb.toFixed(1)} dB, max |diff| ${o.maxAbsDiff.toPrecision(3)}${o.top1Agreement === undefined ? '' : `, top-1 agreement ${(o.top1Agreement * 100).toFixed(1)}%`}`,
    )
  if (s.errorReport) {
    lines.push('error report (SQNR in dB vs float, worst first; own = this tensor\'s rounding alone):')
    for (const e of s.errorReport.slice(0, 10)) lines.push(`  ${e.sqnrDb.toFixed(1).padStart(6)}  own ${e.qdqSqnrDb.toFixed(1).padStart(6)}  ${e.node} (${e.op}) → ${e.tensor}`)
    if (s.suggestedExclusions?.length)
      lines.push(`suggested: re-run with --exclude-nodes ${s.suggestedExclusions.join(',')}`)
    else lines.push('no layer stands out: every quantized tensor keeps its own SQNR above 25 dB')
  }
  return `${lines.join('\n')}\n`
}

export function listFlag(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((s) => s.trim()).filter(Boolean)
  return items && items.length > 0 ? items : undefined
}
