import { describe, expect, it } from 'vitest'
import type { BenchmarkReport, BenchmarkResult, CompareReport, CpuDescription, LineageStep, ModelEntry, StoredResult } from '../../preload/api'
import { compareView } from './compare-view'
import { fp16Lineage, quantizedLineage } from './lineage-fixtures'
import { defaultPickRule } from '../../preload/pick-rule'

function model(id: string, lineage?: LineageStep): ModelEntry {
  return { id, name: id === 'base' ? 'base' : `base · ${id}`, format: 'onnx', mainFile: 'model.onnx', files: [], sizeBytes: 1000, importedAt: '', source: '', ...(lineage ? { lineage } : {}) }
}

function bench(modelId: string, p50: number, cv = 0.01): BenchmarkResult {
  const latencyMs = { mean: p50, p50, p90: p50, p95: p50, p99: p50, min: p50, max: p50, stdDev: p50 * cv }
  return {
    model: modelId, modelId, batch: 1, threads: 1, inputs: [], iterations: 100, latencyMs, cv,
    throughput: { inferencesPerSec: 1000 / p50, samplesPerSec: 1000 / p50 },
    sessionCreateMs: 1, firstRunMs: 1, peakRssBytes: 1e6, sizeBytes: 1000, histogram: { startMs: 0, binWidthMs: 1, counts: [100] },
    intervals: { p50Ms: { value: p50, low: p50 * (1 - cv), high: p50 * (1 + cv) } },
  }
}

const cpu: CpuDescription = { model: 'Test CPU', logicalCores: 2, arch: 'x64', platform: 'linux', instructionSets: ['avx2'], int8Note: 'AVX2 without VNNI.' }

function stored(name: string, results: BenchmarkResult[]): StoredResult {
  const report: BenchmarkReport = {
    kind: 'benchmark', createdAt: name, runtime: 'ONNX Runtime', cpu, settings: { warmup: 1, batches: [1], threads: [1] }, results, failures: [], sweetSpots: [], warnings: [],
  }
  return { name, value: report }
}

const comparison = (name: string, agreement: number): StoredResult => {
  const report: CompareReport = {
    kind: 'compare', createdAt: name, data: { source: '/data/eval.npy', samples: 64 },
    baseline: { model: 'base', modelId: 'base' },
    variants: [{ model: 'q', modelId: 'q', fidelity: { output: 'y', elements: 640, maxAbsError: 0.1, meanAbsError: 0.01, cosine: 0.99, sqnrDb: 30, top1Agreement: agreement }, outputs: [] }],
  }
  return { name, value: report }
}

describe('compare view', () => {
  const root = model('base')
  const q = model('q', quantizedLineage('base'))
  const f = model('f', fp16Lineage('base'))

  it('rows from the latest results of the shown models only, the winner, and the notes of the report', () => {
    const run = [bench('base', 2), bench('q', 1), bench('f', 3)]
    const results = { base: [stored('benchmark-1', run)], q: [stored('benchmark-1', run), comparison('compare-1', 0.5), comparison('compare-2', 0.995)], f: [stored('benchmark-1', run)] }
    const view = compareView({ root, variants: [q], results, rule: defaultPickRule })
    expect(view.rows.map((r) => [r.id, r.p50Ms, r.agreement])).toEqual([
      ['base', 2, 1],
      ['q', 1, 0.995],
    ])
    expect(view.results.map((r) => r.modelId)).toEqual(['base', 'q'])
    expect(view.winner?.id).toBe('q')
    expect(view.int8Note).toBeNull()
    expect(view.notes).toEqual(['Latency, throughput and memory at batch 1, 1 thread (ONNX Runtime, CPU).', 'Accuracy and fidelity on 64 samples of eval.npy.'])
    expect(view.charts.map((c) => c.id)).toEqual(['latency-size', 'latency-accuracy', 'latency-distribution', 'throughput'])
  })

  it('explains a quantized variant slower than float from the CPU facts, not a float16 one', () => {
    const run = [bench('base', 1), bench('q', 2), bench('f', 3)]
    const results = { base: [stored('benchmark-1', run)], q: [stored('benchmark-1', run)], f: [stored('benchmark-1', run)] }
    const view = compareView({ root, variants: [q, f], results, rule: { ...defaultPickRule, maxAccuracyDrop: null } })
    expect(view.int8Note).toMatch(/^q is slower than float on this CPU \(Test CPU\)\. Its int8 support: AVX2 without VNNI\. /)
    expect(view.winner?.id).toBe('base')
    expect(view.notes.at(-1)).toBe(view.int8Note)
  })

  it('calls no winner when the lead is within the measured spread', () => {
    const run = [bench('base', 1.02, 0.05), bench('q', 1, 0.05)]
    const results = { base: [stored('benchmark-1', run)], q: [stored('benchmark-1', run)] }
    const view = compareView({ root, variants: [q], results, rule: { ...defaultPickRule, maxAccuracyDrop: null } })
    expect(view.winner).toBeUndefined()
    expect(view.pick.verdict).toBe('no-difference')
    expect(view.pick.reason).toMatch(/^no significant difference in p50 latency between base · q and base \(p50 latency 0\.98× ± 0\.\d\d that of base\)/)
  })

  it('has no rows to measure before any benchmark', () => {
    const view = compareView({ root, variants: [q], results: {}, rule: defaultPickRule })
    expect(view.config).toBeUndefined()
    expect(view.winner).toBeUndefined()
    expect(view.notes).toEqual(['No benchmark yet.', 'No accuracy comparison yet.'])
  })
})
