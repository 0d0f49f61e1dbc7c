import { describe, expect, it } from 'vitest'
import type { TensorInfo } from '../../preload/api'
import { defaultBatchText, draftProblems, draftsFromSpec, guessDrafts, specOf } from './input-guesses'

const vad: TensorInfo[] = [
  { name: 'input', dtype: 'float32', shape: ['?', '?'] },
  { name: 'state', dtype: 'float32', shape: [2, '?', 128] },
  { name: 'sr', dtype: 'int64', shape: [] },
]
const ocr: TensorInfo[] = [{ name: 'x', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] }]

describe('input guesses', () => {
  it('guesses image sizes by what the model is, sequences of 128, and a sample rate', () => {
    expect(guessDrafts(ocr, 'text_rec').map((d) => d.shape)).toEqual(['1×3×224×224'])
    expect(guessDrafts(ocr, 'yolov8n').map((d) => d.shape)).toEqual(['1×3×640×640'])
    expect(guessDrafts([{ name: 'ids', dtype: 'int64', shape: ['batch', 'seq'] }], 'bert').map((d) => d.shape)).toEqual(['1×128'])
    const drafts = guessDrafts(vad, 'silero_vad')
    expect(drafts.map((d) => [d.shape, d.hasOpenDims, d.values])).toEqual([
      ['1×512', true, { kind: 'random' }],
      ['2×1×128', true, { kind: 'random' }],
      ['', false, { kind: 'fixed', value: '16000' }],
    ])
    expect(specOf(drafts)).toEqual({ shapes: { input: [1, 512], state: [2, 1, 128] }, values: { sr: 16000 } })
  })
  it('takes the dims a data file implies over the guesses', () => {
    expect(guessDrafts(ocr, 'text_rec', { x: [4, 3, 32, 256] })[0]?.shape).toBe('1×3×32×256')
  })
  it('shows a saved spec, and says what cannot be saved', () => {
    const drafts = draftsFromSpec(guessDrafts(vad, 'silero_vad'), { shapes: { input: [1, 256] }, ranges: { sr: { low: 8000, high: 16000 } } })
    expect(drafts.map((d) => [d.shape, d.values])).toEqual([
      ['1×256', { kind: 'random' }],
      ['2×1×128', { kind: 'random' }],
      ['', { kind: 'range', low: '8000', high: '16000' }],
    ])
    const bad = drafts.map((d) => (d.name === 'input' ? { ...d, shape: '1×a' } : d.name === 'state' ? { ...d, shape: '3×1×128' } : d))
    expect(draftProblems(bad)).toEqual({ input: 'Write sizes separated by ×, e.g. 1×3×640×640', state: 'Fixed dims must stay as the model declares them (2×?×128)' })
  })
  it('starts a benchmark of a fixed-batch model at its batch', () => {
    expect(defaultBatchText([{ inspection: { inputs: [{ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28] }] } }])).toBe('1')
    expect(defaultBatchText([{ inspection: { inputs: ocr } }])).toBe('1, 8')
  })
})
