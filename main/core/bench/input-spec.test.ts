import { describe, expect, it } from 'vitest'
import { checkInputBytes, parseDims, parsePositiveList, parseRangeOptions, parseShapeOptions, resolveInputShapes } from './input-spec'
import type { IoInfo } from './model-io'

const image: IoInfo = { name: 'input', dtype: 'float32', dims: ['batch', 3, 224, 224] }
const vad: IoInfo[] = [
  { name: 'input', dtype: 'float32', dims: ['?', '?'] },
  { name: 'state', dtype: 'float32', dims: [2, '?', 128] },
  { name: 'sr', dtype: 'int64', dims: [] },
]

describe('parsing options', () => {
  it('reads shapes, lists and ranges', () => {
    expect(parseDims('1x3x224x224', 'x')).toEqual([1, 3, 224, 224])
    expect(parseShapeOptions(['input=1x512', 'state=2x1x128'])).toEqual({ input: [1, 512], state: [2, 1, 128] })
    expect(parsePositiveList('1, 8,32,8', '--batch')).toEqual([1, 8, 32])
    expect(parseRangeOptions(['input_ids=0:30521'])).toEqual({ input_ids: { low: 0, high: 30521 } })
  })
  it('refuses malformed values with the option in the message', () => {
    expect(() => parseDims('1x-3', '--shape input=1x-3')).toThrow(/--shape input=1x-3/)
    expect(() => parseShapeOptions(['1x3'])).toThrow(/NAME=DIMS/)
    expect(() => parsePositiveList('1,0', '--batch')).toThrow(/--batch 1,0/)
    expect(() => parseRangeOptions(['ids=9:1'])).toThrow(/LOW ≤ HIGH/)
  })
})

describe('resolveInputShapes', () => {
  it('fills the leading symbolic dim with the batch', () => {
    expect(resolveInputShapes('m', [image], { batch: 8 })[0]?.shape).toEqual([8, 3, 224, 224])
    expect(resolveInputShapes('m', [image], {})[0]?.shape).toEqual([1, 3, 224, 224])
  })
  it('takes other dynamic dims from --shape, the batch still from --batch', () => {
    const shapes = { input: [1, 512], state: [2, 1, 128] }
    const resolved = resolveInputShapes('vad', vad, { shapes, batch: 4 })
    expect(resolved.map((r) => r.shape)).toEqual([[4, 512], [2, 1, 128], []])
  })
  it('says which option gives a missing dynamic dim', () => {
    expect(() => resolveInputShapes('vad', vad, {})).toThrow(/dim 1 \('\?'\) of input 'input' is dynamic; give its size with --shape input=1xN/)
  })
  it('refuses a shape that contradicts the model', () => {
    expect(() => resolveInputShapes('m', [image], { shapes: { input: [1, 3, 128, 128] } })).toThrow(
      /--shape input=1x3x128x128 contradicts m: dim 2 of 'input' is fixed at 224/,
    )
    expect(() => resolveInputShapes('m', [image], { shapes: { input: [1, 3, 224] } })).toThrow(/has 4 dims/)
    expect(() => resolveInputShapes('m', [image], { shapes: { image: [1, 3, 224, 224] } })).toThrow(/names input 'image', but m has inputs 'input'/)
    const fixed: IoInfo = { name: 'x', dtype: 'float32', dims: [1, 10] }
    expect(() => resolveInputShapes('m', [fixed], { batch: 8 })).toThrow(/--batch 8 contradicts m: its input 'x' has a fixed batch of 1/)
  })
  it('takes sample shapes from data and refuses data that does not fit', () => {
    const mlp: IoInfo = { name: 'input', dtype: 'float32', dims: ['batch', 64] }
    expect(resolveInputShapes('mlp', [mlp], { batch: 2, sampleShapes: { input: [64] } })[0]?.shape).toEqual([2, 64])
    expect(() => resolveInputShapes('mlp', [mlp], { sampleShapes: { input: [8, 8] }, dataFile: 'x.npy' })).toThrow(
      /x.npy: samples of input 'input' have shape \[8,8\], but mlp expects \[batch,64\]/,
    )
    expect(() => resolveInputShapes('mlp', [mlp], { sampleShapes: { other: [64] }, dataFile: 'x.npz' })).toThrow(
      /x.npz has no values for input 'input' that mlp needs/,
    )
  })
})

describe('checkInputBytes', () => {
  it('refuses inputs that would not fit in memory before allocating them', () => {
    const huge = [{ name: 'x', dtype: 'float32', shape: [1_000_000, 1_000_000] }]
    expect(() => checkInputBytes('m', huge)).toThrow(/m: input 'x' of shape \[1000000,1000000\] brings the inputs of one run to 3725.3 GiB, over the 2 GiB budget/)
    expect(() => checkInputBytes('m', [{ name: 'x', dtype: 'int64', shape: [8, 512] }])).not.toThrow()
  })
})
