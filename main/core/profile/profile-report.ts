// A profile as text tables (`slipway profile`): the top nodes, the op types and, for a variant, the nodes
// next to its parent's. Every time carries its spread over the runs.
import type { MeanSpread, ProfileResult } from '../../../preload/api'
import { tableToText, type Table } from '../bench/export'

export const topCount = 10

/** A time and its spread in the mean's unit, µs below a millisecond: "12.3 ± 4.1 µs", "2.41 ± 0.10 ms". */
export function spreadText(value: MeanSpread): string {
  const { meanMs, stdDevMs } = value
  return meanMs >= 1 ? `${meanMs.toFixed(2)} ± ${stdDevMs.toFixed(2)} ms` : `${(meanMs * 1000).toFixed(1)} ± ${(stdDevMs * 1000).toFixed(1)} µs`
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`

export function topNodesTable(result: ProfileResult, count = topCount): Table {
  return {
    headers: ['node', 'op', 'ran as', 'time per run', 'share'],
    rows: result.nodes.slice(0, count).map((n) => [n.name, n.opType, n.ranAs ?? '', spreadText(n), n.hasSubgraph ? 'holds subgraphs' : percent(n.share)]),
  }
}

export function opTypesTable(result: ProfileResult): Table {
  return {
    headers: ['op type', 'nodes', 'time per run', 'share'],
    rows: result.opTypes.map((o) => [o.opType, String(o.nodes), spreadText(o), percent(o.share)]),
  }
}

export function parentTable(result: ProfileResult, count = topCount): Table | undefined {
  const parent = result.parent
  if (!parent) return undefined
  return {
    headers: ['node', 'op', parent.model, result.model, 'ratio of medians'],
    rows: parent.nodes
      .slice(0, count)
      .map((c) => [c.name, c.opType, c.parent ? spreadText(c.parent) : '—', c.variant ? spreadText(c.variant) : '—', c.ratio === undefined ? '' : `${c.ratio.toFixed(2)}×${c.significant ? '' : ' (noise)'}`]),
  }
}

export function profileSummary(result: ProfileResult): string {
  const threads = `${result.threads} thread${result.threads > 1 ? 's' : ''}`
  const covered = result.runMs.meanMs > 0 ? result.nodeSumMs.meanMs / result.runMs.meanMs : 0
  return [
    `${result.model} · ${result.runtime} · batch ${result.batch} · ${threads} · ${result.runs} runs after ${result.warmup} warm-up`,
    `run ${spreadText(result.runMs)}; its nodes ${spreadText(result.nodeSumMs)} (${percent(covered)} of the run, the rest is ONNX Runtime's work between kernels)`,
  ].join('\n')
}

export function formatProfile(result: ProfileResult): string {
  const parts = [profileSummary(result), '', `top ${topCount} nodes`, tableToText(topNodesTable(result)), 'by op type', tableToText(opTypesTable(result))]
  const vsParent = parentTable(result)
  if (vsParent && result.parent) {
    parts.push(`next to ${result.parent.model} (run ${spreadText(result.parent.runMs)})`, tableToText(vsParent))
    for (const change of result.parent.nodes) if (change.note) parts.push(`${change.name}: ${change.note}`)
  }
  if (result.notRun.length > 0) parts.push(`${result.notRun.length} node${result.notRun.length > 1 ? 's' : ''} never ran (folded or removed by ONNX Runtime's optimizer)`)
  return parts.join('\n').trimEnd() + '\n'
}
