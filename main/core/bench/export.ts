// Benchmark and comparison reports as tables: aligned text for the terminal, CSV and Markdown for
// export (JSON is the report itself). One row builder per report keeps the three formats in step.
import type { BenchmarkReport, CompareReport, Estimate, OutputFidelity, ReportFormat } from '../../../preload/api'
import { formatRange } from '../../../preload/format'
import { formatRatioEstimate, formatSpread } from '../../../preload/pick-rule'

export interface Table {
  readonly headers: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

function fixed(value: number | undefined | null, digits: number): string {
  return value === undefined || value === null || Number.isNaN(value) ? '' : value.toFixed(digits)
}

/** Small errors and divergences keep their significant digits (1.2e-7, not 0.000000). */
function small(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return ''
  return value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(2) : value.toFixed(6)
}

function plusMinus(e: Estimate | null | undefined): string {
  return e ? formatSpread(e) : ''
}

function range(e: Estimate | undefined, scale: number): string {
  return e ? formatRange(e, scale) : ''
}

function mb(bytes: number): string {
  return (bytes / 1048576).toFixed(1)
}

export function benchTable(report: BenchmarkReport): Table {
  return {
    headers: ['model', 'batch', 'threads', 'runs', 'mean ms', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'min ms', 'max ms', 'cv %', 'inferences/s', 'samples/s', 'session ms', 'first run ms', 'peak RSS MB', 'size MB', 'p50 95% CI', 'stopped'],
    rows: report.results.map((r) => [
      r.model,
      String(r.batch),
      String(r.threads),
      String(r.iterations),
      fixed(r.latencyMs.mean, 3),
      fixed(r.latencyMs.p50, 3),
      fixed(r.latencyMs.p90, 3),
      fixed(r.latencyMs.p95, 3),
      fixed(r.latencyMs.p99, 3),
      fixed(r.latencyMs.min, 3),
      fixed(r.latencyMs.max, 3),
      fixed(r.cv * 100, 1),
      fixed(r.throughput.inferencesPerSec, 1),
      fixed(r.throughput.samplesPerSec, 1),
      fixed(r.sessionCreateMs, 1),
      fixed(r.firstRunMs, 2),
      mb(r.peakRssBytes),
      mb(r.sizeBytes),
      plusMinus(r.intervals?.p50Ms),
      r.stop ?? '',
    ]),
  }
}

function fidelityCells(f: OutputFidelity | undefined): string[] {
  return [
    small(f?.maxAbsError),
    small(f?.meanAbsError),
    fixed(f?.cosine, 6),
    f?.sqnrDb === null ? 'identical' : fixed(f?.sqnrDb, 2),
    fixed(f?.top1Agreement === undefined ? undefined : f.top1Agreement * 100, 2),
    fixed(f?.top5Agreement === undefined ? undefined : f.top5Agreement * 100, 2),
    small(f?.klDivergence),
  ]
}

export function compareTable(report: CompareReport): Table {
  const pct = (value: number | undefined): string => fixed(value === undefined ? undefined : value * 100, 2)
  return {
    headers: ['model', 'output', 'accuracy %', 'accuracy 95% CI', 'drop pts', 'drop 95% CI', 'max abs err', 'mean abs err', 'cosine', 'SQNR dB', 'top-1 agree %', 'top-5 agree %', 'KL'],
    rows: [
      [report.baseline.model, '(baseline)', pct(report.baseline.accuracy), range(report.baseline.accuracyInterval, 100), '', '', '', '', '', '', '', '', ''],
      ...report.variants.flatMap((v) =>
        v.outputs.map((f, i) => [
          v.model,
          f.output,
          i === 0 ? pct(v.accuracy) : '',
          i === 0 ? range(v.accuracyInterval, 100) : '',
          i === 0 ? fixed(v.accuracyDropPoints, 2) : '',
          i === 0 ? range(v.accuracyDropInterval, 1) : '',
          ...fidelityCells(f),
        ]),
      ),
    ],
  }
}

/** The latency timed in alternation: each model's p50 with its interval, and its run-by-run ratio to the baseline. */
export function pairedTable(report: CompareReport): Table | undefined {
  const latency = report.latency
  if (!latency) return undefined
  const baseKey = latency.models[0]?.key
  return {
    headers: ['model', 'p50 ms', 'p50 95% CI', '× baseline (paired)'],
    rows: latency.models.map(({ key, p50Ms }, i) => {
      const ratio = latency.ratios.find((r) => r.of === key && r.over === baseKey)?.ratio
      const name = i === 0 ? report.baseline.model : (report.variants.find((v) => (v.modelId ?? v.model) === key)?.model ?? key)
      return [name, fixed(p50Ms?.value, 4), plusMinus(p50Ms), i === 0 ? '(baseline)' : ratio ? formatRatioEstimate({ ratio: ratio.value, low: ratio.low, high: ratio.high }) : '']
    }),
  }
}

export function tableToText(table: Table): string {
  const widths = table.headers.map((h, i) => Math.max(h.length, ...table.rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ')
  return [line(table.headers), ...table.rows.map(line)].join('\n') + '\n'
}

function csvCell(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell
}

export function tableToCsv(table: Table): string {
  return [table.headers, ...table.rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n'
}

export function tableToMarkdown(table: Table): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|')
  const row = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`
  return [row(table.headers), `|${table.headers.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...table.rows.map(row)].join('\n') + '\n'
}

function benchMarkdown(report: BenchmarkReport): string {
  const cpu = report.cpu
  const lines = [
    `# Benchmark, ${report.createdAt}`,
    '',
    `${report.runtime} on ${cpu.model} (${cpu.logicalCores} logical cores, ${cpu.arch}); instruction sets: ${cpu.instructionSets.join(', ') || 'unknown'}. ${cpu.int8Note}.`,
    '',
    tableToMarkdown(benchTable(report)),
  ]
  if (report.sweetSpots.length > 0) {
    lines.push('## Sweet spot', '')
    for (const s of report.sweetSpots) lines.push(`- ${sweetSpotLine(s)}`)
    lines.push('')
  }
  if (report.warnings.length > 0) lines.push('## Warnings', '', ...report.warnings.map((w) => `- ${w}`), '')
  return lines.join('\n')
}

export function sweetSpotLine(s: BenchmarkReport['sweetSpots'][number]): string {
  const cap = s.latencyCapMs === undefined ? 'best throughput' : `best throughput with p95 ≤ ${s.latencyCapMs} ms`
  if (s.batch === undefined) return `${s.model}: ${cap}: ${s.note ?? 'none'}`
  return `${s.model}: ${cap}: batch ${s.batch}, ${s.threads} thread(s), ${fixed(s.samplesPerSec, 1)} samples/s, p95 ${fixed(s.p95Ms, 3)} ms`
}

function compareMarkdown(report: CompareReport): string {
  return [
    `# Comparison, ${report.createdAt}`,
    '',
    `Baseline ${report.baseline.model}; ${report.data.samples} samples from ${report.data.source}${report.data.labels ? `, labels from ${report.data.labels}` : ''}.`,
    '',
    tableToMarkdown(compareTable(report)),
  ].join('\n')
}

/**
 * One run's report from the parts stored with each of its models (each keeps only its own rows); undefined
 * when there are none or they are not of one kind.
 */
export function joinReports(parts: readonly (BenchmarkReport | CompareReport)[]): BenchmarkReport | CompareReport | undefined {
  const [first] = parts
  if (!first || parts.some((p) => p.kind !== first.kind)) return undefined
  if (first.kind === 'compare') return { ...first, variants: (parts as CompareReport[]).flatMap((p) => p.variants) }
  const benchParts = parts as BenchmarkReport[]
  return {
    ...first,
    results: benchParts.flatMap((p) => p.results),
    failures: benchParts.flatMap((p) => p.failures),
    sweetSpots: benchParts.flatMap((p) => p.sweetSpots),
  }
}

export function exportReport(report: BenchmarkReport | CompareReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  if (report.kind === 'benchmark') return format === 'csv' ? tableToCsv(benchTable(report)) : benchMarkdown(report)
  return format === 'csv' ? tableToCsv(compareTable(report)) : compareMarkdown(report)
}

/** The export format a file name asks for (.csv, .md/.markdown, .json), or undefined. */
export function exportFormatOf(path: string): ReportFormat | undefined {
  const match = /\.(csv|md|markdown|json)$/i.exec(path)
  if (!match) return undefined
  const ext = (match[1] as string).toLowerCase()
  return ext === 'markdown' ? 'md' : (ext as ReportFormat)
}
