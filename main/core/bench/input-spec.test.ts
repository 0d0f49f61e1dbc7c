import { describe, expect, it } from 'vitest'
import {
  checkInputBytes,
  failedOnGeneratedInputs,
  mergeSpecs,
  parseDims,
  parsePositiveList,
  parseRangeOptions,
  parseShapeOptions,
  parseValueOptions,
  resolveInputs,
} from './input-spec'
import { InputSpecError } from '../errors'
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
    expect(parseValueOptions(['sr=16000', 'temperature=-0.5'])).toEqual({ sr: 16000, temperature: -0.5 })
    expect(parseDims('scalar', 'x')).toEqual([])
  })
  it('refuses malformed values with the option in the message', () => {
    expect(() => parseDims('1x-3', '--shape input=1x-3')).toThrow(/--shape input=1x-3/)
    expect(() => parseShapeOptions(['1x3'])).toThrow(/NAME=DIMS/)
    expect(() => parsePositiveList('1,0', '--batch')).toThrow(/--batch 1,0/)
    expect(() => parseRangeOptions(['ids=9:1'])).toThrow(/LOW ≤ HIGH/)
    expect(() => parseValueOptions(['sr=fast'])).toThrow(/--value sr=fast: not a number/)
    expect(() => parseValueOptions(['16000'])).toThrow(/NAME=NUMBER/)
  })
})

describe('resolveInputs', () => {
  it('fills the leading symbolic dim with the batch', () => {
    expect(resolveInputs('m', [image], { batch: 8 })[0]?.shape).toEqual([8, 3, 224, 224])
    expect(resolveInputs('m', [image], {})[0]?.shape).toEqual([1, 3, 224, 224])
  })
  it('takes other dynamic dims from --shape, the batch still from --batch', () => {
    const shapes = { input: [1, 512], state: [2, 1, 128] }
    const resolved = resolveInputs('vad', vad, { spec: { shapes, values: { sr: 16000 } }, batch: 4 })
    expect(resolved.map((r) => r.shape)).toEqual([[4, 512], [2, 1, 128], []])
    expect(resolved[2]).toEqual({ name: 'sr', dtype: 'int64', shape: [], range: { low: 16000, high: 16000 } })
    expect(resolved[0]?.madeUp).toEqual({ values: true, dims: false })
  })
  it('names every input whose dynamic dims nobody gave', () => {
    try {
      resolveInputs('vad', vad, {})
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(InputSpecError)
      expect((error as InputSpecError).message).toMatch(/dim 1 \('\?'\) of input 'input' is dynamic; give its size \(its full shape, e.g. 1xN\)/)
      expect((error as InputSpecError).inputProblems.map((p) => p.input)).toEqual(['input', 'state'])
    }
  })
  it('guesses 1 for open dims when asked, and names the made-up inputs when the model fails on them', () => {
    const resolved = resolveInputs('vad', vad, { guessUnknownDims: true, spec: { shapes: { input: [1, 512] } } })
    expect(resolved.map((r) => r.shape)).toEqual([[1, 512], [2, 1, 128], []])
    const error = failedOnGeneratedInputs('ONNX Runtime failed to run the original model', 'Pad', resolved) as InputSpecError
    expect(error.inputProblems).toEqual([
      { input: 'sr', needs: 'values', problem: 'int64 scalar: random values 0…9' },
      { input: 'state', needs: 'shape', problem: 'float32 [2,1,128]: random values 0…1, its dynamic dims set to 1' },
    ])
    expect(error.message).toMatch(/^ONNX Runtime failed to run the original model: Pad\. It ran on generated inputs; .*'sr' \(int64 scalar/)
    expect(error.facts).toMatchObject({ reason: expect.stringMatching(/^ONNX Runtime failed to run the original model\. It ran on generated inputs/), details: ['Pad'] })
    const described = resolveInputs('vad', vad, { guessUnknownDims: true, spec: { shapes: { input: [1, 512], state: [2, 1, 128] }, values: { sr: 16000 } } })
    expect(failedOnGeneratedInputs('failed', 'Pad', described)).not.toBeInstanceOf(InputSpecError)
  })
  it('refuses spec entries the model cannot take', () => {
    expect(() => resolveInputs('vad', vad, { spec: { values: { sr: 16000.5 } }, guessUnknownDims: true })).toThrow(/'sr' is int64: 16000.5 is not a whole number/)
    expect(() => resolveInputs('vad', vad, { spec: { values: { rate: 8000 } }, guessUnknownDims: true })).toThrow(/vad has no input 'rate' \(its inputs: 'input', 'state', 'sr'\)/)
    const bytes: IoInfo = { name: 'b', dtype: 'uint8', dims: [4] }
    expect(() => resolveInputs('m', [bytes], { spec: { ranges: { b: { low: 0, high: 300 } } } })).toThrow(/'b' is uint8: 300 is not a whole number in \[0, 255\]/)
  })
  it('takes the whole shape of unbatched data (a scalar sample rate) as given', () => {
    const resolved = resolveInputs('vad', vad, { spec: { shapes: { sr: [], state: [2, 1, 128] } }, sampleShapes: { input: [512] }, dataFile: 'v.npz' })
    expect(resolved.map((r) => r.shape)).toEqual([[1, 512], [2, 1, 128], []])
  })
  it('merges a command\'s spec over the remembered one', () => {
    expect(mergeSpecs({ shapes: { a: [1, 2] }, values: { sr: 8000 } }, { values: { sr: 16000 } })).toEqual({ shapes: { a: [1, 2] }, values: { sr: 16000 } })
  })
  it('refuses a shape that contradicts the model', () => {
    expect(() => resolveInputs('m', [image], { spec: { shapes: { input: [1, 3, 128, 128] } } })).toThrow(
      /the shape 1x3x128x128 given for input 'input' contradicts m: its dim 2 is fixed at 224/,
    )
    expect(() => resolveInputs('m', [image], { spec: { shapes: { input: [1, 3, 224] } } })).toThrow(/has 4 dims/)
    expect(() => resolveInputs('m', [image], { spec: { shapes: { image: [1, 3, 224, 224] } } })).toThrow(/m has no input 'image' \(its inputs: 'input'\)/)
    const fixed: IoInfo = { name: 'x', dtype: 'float32', dims: [1, 10] }
    expect(() => resolveInputs('m', [fixed], { batch: 8 })).toThrow(/batch size 8 contradicts m: its input 'x' has a fixed batch of 1/)
  })
  it('takes sample shapes from data and refuses data that does not fit', () => {
    const mlp: IoInfo = { name: 'input', dtype: 'float32', dims: ['batch', 64] }
    expect(resolveInputs('mlp', [mlp], { batch: 2, sampleShapes: { input: [64] } })[0]?.shape).toEqual([2, 64])
    expect(() => resolveInputs('mlp', [mlp], { sampleShapes: { input: [8, 8] }, dataFile: 'x.npy' })).toThrow(
      /x.npy: samples of input 'input' have shape \[8,8\], but mlp expects \[batch,64\]/,
    )
    expect(() => resolveInputs('mlp', [mlp], { sampleShapes: { other: [64] }, dataFile: 'x.npz' })).toThrow(
      /x.npz has no values for input 'input' that mlp needs/,
    )
  })
})

describe('checkInputBytes', () => {
  it('refuses inputs that would not fit in memory before allocating them', () => {
    const huge = [{ name: 'x', dtype: 'float32', shape: [1_000_000, 1_000_000], range: { low: 0, high: 1 } }]
    expect(() => checkInputBytes('m', huge)).toThrow(/m: input 'x' of shape \[1000000,1000000\] brings the inputs of one run to 3725.3 GiB, over the 2 GiB budget/)
    expect(() => checkInputBytes('m', [{ name: 'x', dtype: 'int64', shape: [8, 512], range: { low: 0, high: 9 } }])).not.toThrow()
  })
})
