import { describe, expect, it } from 'vitest'
import type { LineageStep, ModelEntry } from '../../preload/api'
import { requantizeRequest } from '../optimize/requantize'
import { isOnnxQuantized, lineageNotes, quantizeOptionsOf, recipeSummaryOf } from './lineage'

// Lineages as entry.json files of older workspaces hold them: the convert job kept its target (`to`) in
// the params, and the quantize job named its mode in the recipe, where a recipe file's step says 'quantize'.
const summary = {
  recipe: 'static int8',
  parentBytes: 1000,
  outputBytes: 300,
  sizeRatio: 0.3,
  converted: { Conv: 2 },
  leftAsIs: [{ node: 'fc', op: 'Gemm', reason: 'excluded by --exclude-nodes' }],
  warnings: ['int8 will not speed up here'],
  notes: ['conv1: input channels padded 3 → 4'],
  durationMs: 5,
  validation: { rows: 2, inputs: 'random data', outputs: [] },
}
const stored = (lineage: object): LineageStep => JSON.parse(JSON.stringify({ parentId: 'p', createdAt: '2026-01-01T00:00:00Z', durationMs: 5, ...lineage })) as LineageStep

describe('lineage read back from entry.json', () => {
  it('reads an older convert job’s float16 lineage (params with `to`) as a float16 summary, not as quantized', () => {
    const fp16 = stored({ recipe: 'fp16', params: { to: 'fp16', keepIoTypes: true }, summary: { ...summary, recipe: 'fp16' } })
    expect(recipeSummaryOf(fp16)?.leftAsIs).toEqual([{ node: 'fc', op: 'Gemm', reason: 'excluded by --exclude-nodes' }])
    expect(lineageNotes(fp16)).toEqual(['conv1: input channels padded 3 → 4', 'int8 will not speed up here'])
    expect(isOnnxQuantized(fp16)).toBe(false)
  })

  it('gives the quantize options of a quantize job’s and of a recipe file step’s lineage alike, to quantize the parent again', () => {
    const job = stored({ recipe: 'quantize static', params: { mode: 'static', calibPath: 'c.npy', excludeNodes: ['fc'] }, summary })
    const step = stored({ recipe: 'quantize', params: { mode: 'static', calibPath: 'c.npy', excludeNodes: ['fc'], recipeName: 'r', stepIndex: 1 }, summary })
    expect(quantizeOptionsOf(step)).toEqual(quantizeOptionsOf(job))
    const request = requantizeRequest({ id: 'v', lineage: step } as ModelEntry, ['conv1'])
    expect(request).toEqual({ kind: 'quantize', modelId: 'p', options: { mode: 'static', calibPath: 'c.npy', excludeNodes: ['fc', 'conv1'], errorReport: true } })
  })
})
