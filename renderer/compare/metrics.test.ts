import { describe, expect, it } from 'vitest'
import type { BenchmarkResult, CompareReport, ModelEntry } from '../../preload/api'
import { quantizedLineage } from './lineage-fixtures'
import { compareMetrics, delta, latestResults, ratio, referenceConfig, sortMetrics } from './metrics'
import { reportCsv, reportHtml, reportMarkdown } from './report'
import { accuracySpread, ratioText } from './columns'
import { pickVariant, defaultPickRule } from '../../preload/pick-rule'

function model(id: string, sizeBytes: number, parentId?: string): ModelEntry {
  return {
    id,
    name: id,
    format: 'onnx',
    mainFile: 'model.onnx',
    files: [],
    sizeBytes,
    importedAt: '',
    source: '',
    ...(parentId ? { lineage: quantizedLineage(parentId) } : {}),
  }
}

function bench(modelId: string, batch: number, threads: number, p50: number): BenchmarkResult {
  const latencyMs = { mean: p50, p50, p90: p50, p95: p50, p99: p50 * 2, min: p50, max: p50 * 2, stdDev: 0 }
  return {
    model: modelId, modelId, batch, threads, inputs: [], iterations: 10, latencyMs, cv: 0,
    throughput: { inferencesPerSec: 1000 / p50, samplesPerSec: (1000 / p50) * batch },
    sessionCreateMs: 1, firstRunMs: 1, peakRssBytes: 1e6, sizeBytes: 1, histogram: { startMs: 0, binWidthMs: 1, counts: [10] },
  }
}

const compare: CompareReport = {
  kind: 'compare', createdAt: '', data: { source: 'x', samples: 100 },
  baseline: { model: 'base', modelId: 'base', accuracy: 0.97, accuracyInterval: { value: 0.97, low: 0.915, high: 0.99 } },
  variants: [{ model: 'q', modelId: 'q', accuracy: 0.965, accuracyDropPoints: 0.5, accuracyDropInterval: { value: 0.5, low: -0.4, high: 1.3 }, fidelity: { output: 'logits', elements: 1000, maxAbsError: 0.1, meanAbsError: 0.01, cosine: 0.999, sqnrDb: 31.5, top1Agreement: 0.99 }, outputs: [] }],
}

describe('comparison metrics', () => {
  const results = latestResults([bench('base', 1, 1, 9), bench('base', 1, 1, 2), bench('q', 1, 1, 1), bench('base', 8, 1, 8), bench('q', 8, 1, 5)])

  it('takes the latest result at the smallest batch and thread count, with accuracy from the comparison', () => {
    expect(referenceConfig(results)).toEqual({ batch: 1, threads: 1 })
    const rows = compareMetrics(model('base', 4000), [model('q', 1000, 'base')], results, compare)
    expect(rows.map((r) => [r.id, r.p50Ms, r.p99Ms, r.accuracy, r.accuracyDrop, r.sizeBytes])).toEqual([
      ['base', 2, 4, 0.97, 0, 4000],
      ['q', 1, 2, 0.965, 0.5, 1000],
    ])
    expect(ratio(rows[1]?.sizeBytes, rows[0]?.sizeBytes)).toBe(0.25)
    expect(delta(rows[1]?.p50Ms, rows[0]?.p50Ms)).toBe(-1)
    expect(ratio(1, 0)).toBeUndefined()
  })

  it('sorts variants by a column and keeps the baseline first and unknowns last', () => {
    const rows = compareMetrics(model('base', 4000), [model('q', 1000, 'base'), model('r', 2000, 'base'), model('s', 500, 'base')], [...results, bench('r', 1, 1, 0.5)], compare)
    expect(sortMetrics(rows, 'p50Ms', 'asc').map((r) => r.id)).toEqual(['base', 'r', 'q', 's'])
    expect(sortMetrics(rows, 'sizeBytes', 'desc').map((r) => r.id)).toEqual(['base', 'r', 'q', 's'])
  })

  it('exports CSV, Markdown and HTML with the winner marked and the charts inlined', () => {
    const rows = compareMetrics(model('base', 4000), [model('q', 1000, 'base')], results, compare)
    const pick = pickVariant(rows, defaultPickRule)
    const csv = reportCsv(rows).split('\n')
    expect(csv[0]).toContain('p50Ms,p50Ms_delta,p50Ms_ratio')
    expect(csv[2]).toContain('q,quantize static,1000,-3000,0.25')
    const input = { title: 'digits', createdAt: 'now', rows, rule: 'fastest', pick, notes: ['batch 1'], charts: [{ title: 'Latency vs size', svg: '<svg id="c"></svg>' }] }
    expect(reportMarkdown(input)).toContain('| **q** ★ | quantize static |')
    const html = reportHtml(input)
    expect(html).toContain('<svg id="c"></svg>')
    expect(html).toContain('data-testid="report-winner">q<')
    expect(html).not.toContain('<script')
    expect(html).toContain('97.00% ± 5.50')
    expect(html).toContain('−0.50 pt ± 0.90')
    expect(csv[0]).toContain('accuracy_low,accuracy_high,accuracy_drop_low,accuracy_drop_high,dominated')
    expect(csv[2]).toContain(',-0.4,1.3,')
  })

  it('takes p50 from the timing in alternation when nothing was benchmarked, and shows ratios with their uncertainty', () => {
    const latency = {
      batch: 1, threads: 1, rounds: 500, stop: 'stable' as const, budgetS: 10, stableWithin: 0.02,
      models: [{ key: 'base', p50Ms: { value: 2, low: 1.98, high: 2.02 } }, { key: 'q', p50Ms: { value: 1.6, low: 1.58, high: 1.62 } }],
      ratios: [{ of: 'q', over: 'base', ratio: { value: 0.81, low: 0.79, high: 0.84 } }],
    }
    const rows = compareMetrics(model('base', 4000), [model('q', 1000, 'base')], [], { ...compare, latency })
    const [base, q] = rows
    expect(q?.p50Ms).toBe(1.6)
    expect(q?.pairedP50).toEqual({ base: { value: 0.81, low: 0.79, high: 0.84 } })
    expect(q && ratioText(q, base, 'p50Ms')).toBe('0.81× ± 0.03')
    expect(q && ratioText(q, base, 'sizeBytes')).toBe('0.25×')
    expect(q && ratioText(q, base, 'accuracy')).toBeUndefined()
    // Accuracy carries its own interval, and its change the paired one (in points, the larger side).
    expect(base && accuracySpread(base, 'accuracy')).toEqual({ value: '± 5.50' })
    expect(q && accuracySpread(q, 'accuracy')).toEqual({ delta: '± 0.90' })
    expect(q && accuracySpread(q, 'p50Ms')).toBeUndefined()
    expect(pickVariant(rows, defaultPickRule)).toMatchObject({ verdict: 'winner', winnerId: 'q', margins: { objective: { basis: 'paired' } } })
    // A benchmark at another configuration does not pair with timing done at batch 1.
    const other = compareMetrics(model('base', 4000), [model('q', 1000, 'base')], [bench('base', 8, 1, 8), bench('q', 8, 1, 5)], { ...compare, latency })
    expect(other[1]?.pairedP50).toEqual({})
    expect(other[1] && ratioText(other[1], other[0], 'p50Ms')).toBe('0.63× ± ?')
  })
})
