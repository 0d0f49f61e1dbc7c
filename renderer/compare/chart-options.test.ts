import { describe, expect, it } from 'vitest'
import type { BenchmarkResult } from '../../preload/api'
import { renderChartSvg } from '../charts/EChart'
import { histogramQuantile, latencyDistributionOption, latencySizeOption, reportTheme, shortName } from './chart-options'
import type { ModelMetrics } from '../../preload/pick-rule'

function metrics(id: string, name: string, sizeBytes: number, p50Ms: number): ModelMetrics {
  const none = undefined
  return { id, name, recipe: '', isBaseline: id === 'a', sizeBytes, parameters: none, p50Ms, p99Ms: none, throughput: none, memoryBytes: none, accuracy: none, accuracyDrop: none, agreement: none, sqnrDb: none }
}

/** Where each label's text is drawn in the SVG (its transform's translation), by text. */
function labelPositions(svg: string): Map<string, { x: number; y: number }> {
  const found = [...svg.matchAll(/<text[^>]*transform="translate\(([\d.]+) ([\d.]+)\)"[^>]*>([^<]+)<\/text>/g)]
  return new Map(found.map((m) => [m[3] as string, { x: Number(m[1]), y: Number(m[2]) }]))
}

describe('chart options', () => {
  it('reads percentiles from a histogram', () => {
    const histogram = { startMs: 1, binWidthMs: 1, counts: [0, 10, 10, 0, 20] }
    expect(histogramQuantile(histogram, 0.25)).toBe(3)
    expect(histogramQuantile(histogram, 0.5)).toBe(4)
    expect(histogramQuantile(histogram, 0.75)).toBe(5.5)
  })

  it('pushes apart the labels of two points that nearly coincide, by ECharts label layout', () => {
    const rows = [metrics('a', 'net', 400_000, 0.21), metrics('b', 'net · prune structured 0.25', 395_000, 0.2098), metrics('c', 'net · fp16', 200_000, 0.3)]
    const labels = labelPositions(renderChartSvg(latencySizeOption(rows, null, reportTheme), 560, 300))
    const baseline = labels.get('baseline')
    const pruned = labels.get('prune structured 0.25')
    expect(baseline && pruned).toBeTruthy()
    // One line of 11 px text is 14 px high: the two labels no longer share a line.
    expect(Math.abs((baseline?.y ?? 0) - (pruned?.y ?? 0))).toBeGreaterThanOrEqual(14)
  })

  it('draws one latency box per model, named on the axis', () => {
    const result = (modelId: string, p50: number): BenchmarkResult =>
      ({ model: modelId, modelId, batch: 1, threads: 1, latencyMs: { min: p50 / 2, p50, p99: p50 * 2 }, histogram: { startMs: 0, binWidthMs: p50 / 10, counts: new Array(20).fill(5) } }) as unknown as BenchmarkResult
    const option = latencyDistributionOption([result('a', 1), result('b', 2)], new Map([['a', 'baseline'], ['b', 'fp16']]), reportTheme)
    const svg = renderChartSvg(option, 560, 260)
    expect([...labelPositions(svg).keys()]).toEqual(expect.arrayContaining(['baseline', 'fp16']))
  })
})

describe('shortName', () => {
  it("drops the baseline's name from a variant's", () => {
    expect(shortName('digits_cnn (sample) · quantize static', 'digits_cnn (sample)')).toBe('quantize static')
    expect(shortName('digits_cnn (sample)', 'digits_cnn (sample)')).toBe('baseline')
    expect(shortName('other', 'digits_cnn (sample)')).toBe('other')
  })
})
