import { describe, expect, it } from 'vitest'
import { benchmarkLine, recipeChain, serverModelName } from './deploy-format'

describe('deploy formatting', () => {
  it('makes server-safe model names', () => {
    expect(serverModelName('digits_cnn (sample) · quantize')).toBe('digits_cnn-sample-quantize')
    expect(serverModelName('··')).toBe('model')
  })
  it('reads the recipe chain and benchmark published with a version', () => {
    expect(recipeChain({ chain: [{ name: 'a' }, { name: 'b', recipe: 'quantize' }, { name: 'c', recipe: 'optimize' }] })).toBe('quantize → optimize')
    expect(recipeChain({ file: 'x.onnx' })).toBe('as imported')
    expect(benchmarkLine({ p50Ms: 1.234, samplesPerSec: 812.4, batch: 1 })).toBe('p50 1.23 ms at batch 1, 812 samples/s')
    expect(benchmarkLine(undefined)).toBeNull()
  })
})
