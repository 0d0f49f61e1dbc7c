// Lineages for tests: a quantized and a float16 variant of a parent, with a summary of the right shape.
import type { LineageStep, RecipeSummary } from '../../preload/api'

const summary = (recipe: string): RecipeSummary => ({
  recipe,
  parentBytes: 1000,
  outputBytes: 300,
  sizeRatio: 0.3,
  converted: { Conv: 2 },
  leftAsIs: [],
  warnings: [],
  durationMs: 1,
  validation: { rows: 2, inputs: 'random data', outputs: [] },
})

export function quantizedLineage(parentId: string, facts: Partial<RecipeSummary> = {}): LineageStep {
  return { parentId, recipe: 'quantize static', params: { mode: 'static', calibPath: 'calib.npy' }, summary: { ...summary('static int8'), ...facts }, createdAt: '2026-01-01T00:00:00Z', durationMs: 1 }
}

export function fp16Lineage(parentId: string): LineageStep {
  return { parentId, recipe: 'fp16', params: {}, summary: summary('fp16'), createdAt: '2026-01-01T00:00:00Z', durationMs: 1 }
}

export function prunedLineage(parentId: string): LineageStep {
  return {
    parentId,
    recipe: 'prune',
    params: { method: 'structured', ratio: 0.4 },
    summary: {
      summary: { method: 'structured', ratio: 0.4, criterion: 'l1', channelMultiple: 1, layers: [], intact: [], parametersBefore: 1000, parametersAfter: 600 },
      validation: { loads: true, rows: 2, inputs: 'random data', outputs: [] },
      sizes: { parentBytes: 4000, bytes: 2400, parentGzipBytes: 3800, gzipBytes: 2300 },
      notes: [],
    },
    createdAt: '2026-01-01T00:00:00Z',
    durationMs: 1,
  }
}
