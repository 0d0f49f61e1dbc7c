import { describe, expect, it } from 'vitest'
import type { WorkspaceLineage } from '../../../preload/api'
import { recipeChain } from '../../../preload/reports'
import { benchmarkLine, serverModelName } from './deploy-format'

describe('deploy formatting', () => {
  it('makes server-safe model names', () => {
    expect(serverModelName('digits_cnn (sample) · quantize')).toBe('digits_cnn-sample-quantize')
    expect(serverModelName('··')).toBe('model')
  })
  it('reads the recipe chain and benchmark published with a version', () => {
    const step = (name: string, recipe?: string): WorkspaceLineage['chain'][number] => ({ name, createdAt: '2026-01-01T00:00:00Z', ...(recipe ? { recipe } : {}) })
    expect(recipeChain({ modelId: 'm', name: 'c', chain: [step('a'), step('b', 'quantize'), step('c', 'optimize')] })).toBe('quantize → optimize')
    expect(recipeChain({ modelId: 'm', name: 'a', chain: [step('a')] })).toBe('as imported')
    expect(recipeChain({ file: 'x.onnx' })).toBe('as imported')
    expect(recipeChain(undefined)).toBe('as imported')
    const measured = { p50Ms: 1.234, p95Ms: 2, samplesPerSec: 812.4, batch: 1, threads: 1, sizeBytes: 10, measuredAt: '2026-01-01T00:00:00Z' }
    expect(benchmarkLine(measured)).toBe('p50 1.23 ms at batch 1, 812 samples/s')
    expect(benchmarkLine(undefined)).toBeNull()
  })
})
