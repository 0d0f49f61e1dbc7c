import { describe, expect, it } from 'vitest'
import type { BenchmarkReport, CompareReport } from '../../../preload/api'
import { exportFormatOf, exportReport, joinReports, tableToText } from './export'

const latencyMs = { mean: 2, p50: 1.5, p90: 3, p95: 3.5, p99: 4, min: 1, max: 5, stdDev: 0.5 }
const bench: BenchmarkReport = {
  kind: 'benchmark',
  createdAt: '2026-11-30T10:00:00.000Z',
  runtime: 'ONNX Runtime 1.30.0',
  cpu: { model: 'Test CPU', logicalCores: 2, arch: 'x64', platform: 'linux', instructionSets: ['avx2', 'avx512_vnni'], int8Note: 'VNNI' },
  settings: { warmup: 1, iterations: 10, batches: [1], threads: [1], latencyCapMs: 5 },
  results: [
    {
      model: 'a, "quoted" | model',
      batch: 4,
      threads: 1,
      inputs: [],
      iterations: 10,
      latencyMs,
      cv: 0.25,
      throughput: { inferencesPerSec: 500, samplesPerSec: 2000 },
      sessionCreateMs: 12.34,
      firstRunMs: 3.21,
      peakRssBytes: 10 * 1048576,
      sizeBytes: 1048576,
      histogram: { startMs: 1, binWidthMs: 0.1, counts: [10] },
      intervals: { p50Ms: { value: 1.5, low: 1.4, high: 1.53 } },
      stop: 'runs',
    },
  ],
  failures: [],
  sweetSpots: [{ model: 'm', latencyCapMs: 5, batch: 4, threads: 1, samplesPerSec: 2000, p95Ms: 3.5 }],
  warnings: ['noisy'],
}

const compare: CompareReport = {
  kind: 'compare',
  createdAt: '2026-11-30T10:00:00.000Z',
  data: { source: 'x.npy', samples: 360, labels: 'y.npy' },
  baseline: { model: 'base', accuracy: 0.9667, accuracyInterval: { value: 0.9667, low: 0.9427, high: 0.9808 } },
  variants: [
    {
      model: 'fp16',
      accuracy: 0.9639,
      accuracyDropPoints: 0.28,
      accuracyDropInterval: { value: 0.28, low: -0.35, high: 0.9 },
      fidelity: { output: 'logits', elements: 3600, maxAbsError: 0.0048, meanAbsError: 0.0011, cosine: 0.9999, sqnrDb: 78.9, top1Agreement: 1, top5Agreement: 1, klDivergence: 2.5e-8 },
      outputs: [
        { output: 'logits', elements: 3600, maxAbsError: 0.0048, meanAbsError: 0.0011, cosine: 0.9999, sqnrDb: 78.9, top1Agreement: 1, top5Agreement: 1, klDivergence: 2.5e-8 },
      ],
    },
  ],
}

describe('exports', () => {
  it('writes CSV with quoting and one row per configuration', () => {
    const csv = exportReport(bench, 'csv').trim().split('\n')
    expect(csv).toHaveLength(2)
    expect(csv[0]).toMatch(/^model,batch,threads,runs,mean ms,p50 ms,/)
    expect(csv[1]).toBe('"a, ""quoted"" | model",4,1,10,2.000,1.500,3.000,3.500,4.000,1.000,5.000,25.0,500.0,2000.0,12.3,3.21,10.0,1.0,± 6.7%,runs')
  })
  it('writes Markdown with the CPU, the sweet spot and escaped pipes', () => {
    const md = exportReport(bench, 'md')
    expect(md).toContain('Test CPU (2 logical cores, x64); instruction sets: avx2, avx512_vnni')
    expect(md).toContain('| a, "quoted" \\| model | 4 | 1 |')
    expect(md).toContain('- m: best throughput with p95 ≤ 5 ms: batch 4, 1 thread(s), 2000.0 samples/s, p95 3.500 ms')
  })
  it('writes JSON that reads back as the report', () => {
    expect(JSON.parse(exportReport(compare, 'json'))).toEqual(compare)
  })
  it('writes the comparison with percentages and small numbers kept readable', () => {
    const csv = exportReport(compare, 'csv').trim().split('\n')
    expect(csv[1]).toBe('base,(baseline),96.67,94.27–98.08,,,,,,,,,')
    expect(csv[2]).toBe('fp16,logits,96.39,,0.28,-0.35–0.90,0.004800,0.001100,0.999900,78.90,100.00,100.00,2.50e-8')
    expect(tableToText({ headers: ['a', 'bb'], rows: [['xyz', '1']] })).toBe('a    bb\nxyz   1\n')
  })
  it('joins the parts of one run stored with each of its models', () => {
    const [row] = bench.results
    const other = { ...bench, results: [{ ...row!, model: 'b', batch: 8 }], sweetSpots: [] }
    const joined = joinReports([bench, other])
    expect(joined?.kind === 'benchmark' && joined.results.map((r) => [r.model, r.batch])).toEqual([
      ['a, "quoted" | model', 4],
      ['b', 8],
    ])
    expect(exportReport(joined!, 'csv').trim().split('\n')).toHaveLength(3)
    const variant = compare.variants[0]!
    const compared = joinReports([compare, { ...compare, variants: [{ ...variant, model: 'int8' }] }])
    expect(compared?.kind === 'compare' && compared.variants.map((v) => v.model)).toEqual(['fp16', 'int8'])
    expect(joinReports([bench, compare])).toBeUndefined()
    expect(joinReports([])).toBeUndefined()
  })
  it('knows formats by extension', () => {
    expect(exportFormatOf('r.CSV')).toBe('csv')
    expect(exportFormatOf('r.markdown')).toBe('md')
    expect(exportFormatOf('r.txt')).toBeUndefined()
  })
})
