import { describe, expect, it } from 'vitest'
import type { BenchmarkReport, CompareReport, DataCheck, JobInfo, ProfileResult, StoredResult } from '../../preload/api'
import { createAppStore } from './app-store'
import { checkKey } from './data-slice'
import { connectEvents } from './events'
import { fakeBridge } from './fake-bridge'
import { latestBenchmarkRun, latestComparison, latestProfile, storedBenchmarks } from '../compare/stored-results'

const benchReport = (modelId: string, p50: number): BenchmarkReport =>
  ({ kind: 'benchmark', results: [{ modelId, model: modelId, batch: 1, threads: 1, latencyMs: { p50 } }] }) as unknown as BenchmarkReport

describe('data slice', () => {
  it('checks a data file against a model once, and keeps a failed check as an error in words', async () => {
    let calls = 0
    const verdicts: Record<string, DataCheck> = {
      'calib.npy': { ok: true, rows: 200, inputs: [{ name: 'input', dtype: 'float32', shape: [200, 1, 8, 8] }] },
      'labels.npy': { ok: false, error: { name: 'FileError', message: "/w/data/x/labels.npy: input 'input': the data is int64", file: '/w/data/x/labels.npy', reason: "input 'input': the data is int64" } },
    }
    const store = createAppStore(
      fakeBridge({
        checkData: async (_model, path) => {
          calls++
          return verdicts[path] as DataCheck
        },
      }),
    )
    expect((await store.getState().checkData('m', 'calib.npy'))?.rows).toBe(200)
    await store.getState().checkData('m', 'calib.npy')
    expect(calls).toBe(1)
    await store.getState().checkData('m', 'labels.npy')
    expect(store.getState().dataChecks[checkKey('m', 'labels.npy')]).toMatchObject({ status: 'done', ok: false })
  })

  it('adds a dropped data file through the bridge and lists it', async () => {
    const info = { name: 'calib.npy', path: '/w/data/x/calib.npy', sizeBytes: 51328, source: 'upload' as const }
    const store = createAppStore(fakeBridge({ addDataFile: async () => info, listDataFiles: async () => [info] }))
    expect(await store.getState().addDataFiles([], [])).toEqual(info)
    expect(store.getState().dataFiles).toEqual([info])
    expect(store.getState().notice).toMatchObject({ kind: 'info', message: expect.stringContaining('calib.npy') })
  })
})

describe('results slice', () => {
  it('reloads the results of the models a finished benchmark touched', async () => {
    const stored: Record<string, StoredResult[]> = { a: [{ name: 'benchmark-1', value: benchReport('a', 2) }] }
    const bridge = fakeBridge({ listResults: async (id) => stored[id] ?? [] })
    const store = createAppStore(bridge)
    connectEvents(bridge, store)
    const job: JobInfo = { id: 'j', kind: 'benchmark', title: 'b', state: 'succeeded', progress: { fraction: 1, stage: 'done' }, createdAt: '', result: benchReport('a', 2) }
    bridge.emit('job-updated', { job })
    await store.getState().jobFinished(job)
    expect(storedBenchmarks(store.getState().results, ['a']).map((r) => r.latencyMs.p50)).toEqual([2])
  })

  it('reloads a model’s results when its profile job ends, and finds its newest profile', async () => {
    const spread = { meanMs: 1, stdDevMs: 0 }
    const profile = (createdAt: string): StoredResult<ProfileResult> => ({
      name: `profile-${createdAt}`,
      value: { kind: 'profile', modelId: 'a', createdAt, model: 'a', runtime: 'ort', batch: 1, threads: 1, inputs: [], warmup: 1, runs: 2, runMs: spread, nodeSumMs: spread, nodes: [], opTypes: [], notRun: [] },
    })
    const stored: Record<string, StoredResult[]> = { a: [profile('2'), { name: 'benchmark-3', value: benchReport('a', 1) }, profile('1')] }
    const bridge = fakeBridge({ listResults: async (id) => stored[id] ?? [] })
    const store = createAppStore(bridge)
    const job: JobInfo = { id: 'j', kind: 'profile', title: 'p', state: 'succeeded', progress: { fraction: 1, stage: 'done' }, createdAt: '', result: profile('2').value }
    await store.getState().jobFinished(job)
    expect(latestProfile(store.getState().results, 'a')?.createdAt).toBe('2')
    expect(latestProfile(store.getState().results, 'b')).toBeUndefined()
  })

  it('finds the newest benchmark run and every model it is stored with', () => {
    const results = {
      a: [{ name: 'benchmark-1', value: benchReport('a', 2) }, { name: 'benchmark-3', value: benchReport('a', 1) }],
      b: [{ name: 'benchmark-3', value: benchReport('b', 1) }, { name: 'compare-4', value: { kind: 'compare' } as unknown as CompareReport }],
      c: [{ name: 'benchmark-2', value: benchReport('c', 1) }],
    }
    expect(latestBenchmarkRun(results, ['a', 'b', 'c'])).toEqual({ name: 'benchmark-3', modelIds: ['a', 'b'] })
    expect(latestBenchmarkRun(results, ['c'])).toEqual({ name: 'benchmark-2', modelIds: ['c'] })
    expect(latestBenchmarkRun(results, ['d'])).toBeUndefined()
  })

  it('merges the latest comparison per variant against one baseline', () => {
    const compare = (name: string, modelId: string, accuracy: number): StoredResult => ({
      name,
      value: { kind: 'compare', baseline: { modelId: 'base', model: 'base' }, variants: [{ modelId, accuracy }] } as unknown as CompareReport,
    })
    const results = { q: [compare('compare-1', 'q', 0.9), compare('compare-3', 'q', 0.95)], p: [compare('compare-2', 'p', 0.8)] }
    const merged = latestComparison(results, 'base', ['q', 'p'])
    expect(merged?.variants.map((v) => [v.modelId, v.accuracy])).toEqual([
      ['q', 0.95],
      ['p', 0.8],
    ])
    expect(latestComparison(results, 'other', ['q'])).toBeUndefined()
  })

  it('sorts by a column, flipping direction on the second click', () => {
    const store = createAppStore(fakeBridge({}))
    store.getState().sortBy('p50Ms')
    store.getState().sortBy('p50Ms')
    expect(store.getState().sort).toEqual({ key: 'p50Ms', direction: 'desc' })
  })
})

describe('jobs slice', () => {
  it('keeps the partial results array while a benchmark reports progress without a new result', () => {
    const store = createAppStore(fakeBridge({}))
    const at = (fraction: number, p50s: number[]): JobInfo => ({ id: 'j', kind: 'benchmark', title: 'b', state: 'running', progress: { fraction, stage: 'measuring', partial: p50s.flatMap((p50) => benchReport('a', p50).results) }, createdAt: '' })
    store.getState().jobUpdated(at(0.1, [1]))
    const first = store.getState().jobs.j?.progress.partial
    store.getState().jobUpdated(at(0.2, [1]))
    expect(store.getState().jobs.j?.progress.partial).toBe(first)
    expect(store.getState().jobs.j?.progress.fraction).toBe(0.2)
    store.getState().jobUpdated(at(0.5, [1, 2]))
    expect(store.getState().jobs.j?.progress.partial).toHaveLength(2)
  })
})
