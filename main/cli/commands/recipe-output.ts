// How the recipes print their summary: quantize and convert (sizes, what changed, what was left and why,
// and for static the error report with suggested exclusions), prune (per layer), and every recipe's check
// of its output against the parent.
import type { PruneModelResult, RecipeSummary, Validation } from '../../../preload/api'
import { formatBytes } from '../../../preload/format'

export function formatRecipeSummary(out: string, s: RecipeSummary): string {
  const lines = [`wrote ${out}: ${formatBytes(s.outputBytes)} (${s.sizeRatio.toFixed(3)}× of ${formatBytes(s.parentBytes)}) in ${(s.durationMs / 1000).toFixed(1)} s`]
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

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`

export function formatOutputCheck(check: Validation): string {
  const lines = check.outputs.map((o) => {
    const agreement = o.top1Agreement === undefined ? '' : `, top-1 agreement ${percent(o.top1Agreement)}`
    return `  ${o.name}: SQNR ${o.sqnrDb.toFixed(1)} dB, max |diff| ${o.maxAbsDiff.toPrecision(3)}${agreement}`
  })
  return [`checked against the parent on ${check.rows} rows of ${check.inputs}:`, ...lines].join('\n')
}

export function formatPruneResult(input: string, output: string, result: PruneModelResult): string {
  const { summary, sizes } = result
  const lines: string[] = []
  if (summary.method === 'magnitude') {
    lines.push(`${input} → ${output}: magnitude pruning, ${percent(summary.targetSparsity)} target, ${summary.scope} scope`)
    const width = Math.max(5, ...summary.layers.map((l) => l.node.length))
    lines.push(`  ${'layer'.padEnd(width)}  op        weights  sparsity`)
    for (const l of summary.layers)
      lines.push(`  ${l.node.padEnd(width)}  ${l.opType.padEnd(8)}  ${String(l.weights).padStart(7)}  ${percent(l.sparsity).padStart(8)}${l.kept ? `  kept: ${l.kept}` : ''}`)
    lines.push(`achieved: ${percent(summary.achievedSparsity)} of the pruned layers' weights are zero`)
  } else {
    lines.push(`${input} → ${output}: structured pruning, ratio ${summary.ratio}, ${summary.criterion} norm`)
    const width = Math.max(5, ...summary.layers.map((l) => l.node.length))
    lines.push(`  ${'layer'.padEnd(width)}  op        channels  group`)
    for (const l of summary.layers)
      lines.push(`  ${l.node.padEnd(width)}  ${l.opType.padEnd(8)}  ${`${l.channelsBefore}→${l.channelsAfter}`.padStart(8)}  ${l.group}`)
    lines.push(`parameters: ${summary.parametersBefore} → ${summary.parametersAfter}`)
  }
  lines.push(`size: ${formatBytes(sizes.parentBytes)} → ${formatBytes(sizes.bytes)}; gzip: ${formatBytes(sizes.parentGzipBytes)} → ${formatBytes(sizes.gzipBytes)} (${(sizes.gzipBytes / sizes.parentGzipBytes).toFixed(2)}x)`)
  lines.push(formatOutputCheck(result.validation))
  for (const note of result.notes) lines.push(`note: ${note}`)
  return `${lines.join('\n')}\n`
}
