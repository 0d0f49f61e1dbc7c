import { describe, expect, it } from 'vitest'
import type { ModelEntry } from '../../preload/api'
import { CallError } from '../../preload/call-error'
import { fp16Lineage } from '../compare/lineage-fixtures'
import { createAppStore } from './app-store'
import { connectEvents } from './events'
import { fakeBridge } from './fake-bridge'

function entry(id: string, parentId?: string): ModelEntry {
  return {
    id,
    name: id,
    format: 'onnx',
    mainFile: 'model.onnx',
    files: ['model.onnx'],
    sizeBytes: 1,
    importedAt: '2026-01-01T00:00:00Z',
    source: 'test',
    ...(parentId ? { lineage: fp16Lineage(parentId) } : {}),
  }
}

describe('app store', () => {
  it('selects a freshly imported model and keeps the selection across updates', async () => {
    const models = [entry('a'), entry('b')]
    const bridge = fakeBridge({ listModels: async () => models, importModel: async () => models[1] as ModelEntry })
    const store = createAppStore(bridge)
    await store.getState().loadModels()
    expect(store.getState().selectedId).toBe('a')
    await store.getState().importFiles([], [])
    expect(store.getState().selectedId).toBe('b')
    store.getState().setModels([entry('b'), entry('c', 'b')])
    expect(store.getState().selectedId).toBe('b')
  })

  it('shows an import error in words and stays usable', async () => {
    const bridge = fakeBridge({
      importModel: async () => {
        throw new CallError({ name: 'FileError', message: '/ws/staging/u1/broken.onnx: not a valid ONNX model', file: '/ws/staging/u1/broken.onnx', reason: 'not a valid ONNX model' })
      },
    })
    const store = createAppStore(bridge)
    expect(await store.getState().importFiles([], [])).toBeNull()
    // The engine's structured error is kept whole, for the banner to word (the file by its name).
    expect(store.getState().notice).toEqual({ kind: 'error', error: expect.objectContaining({ file: '/ws/staging/u1/broken.onnx', reason: 'not a valid ONNX model' }) })
    expect(store.getState().importing).toBe(false)
  })

  it('takes job updates from engine events', () => {
    const bridge = fakeBridge({})
    const store = createAppStore(bridge)
    connectEvents(bridge, store)
    const job = { id: 'j1', kind: 'inspect' as const, title: 'Inspect', state: 'running' as const, progress: { fraction: 0.5, stage: 'loading' }, createdAt: 'now' }
    bridge.emit('job-updated', { job })
    bridge.emit('job-updated', { job: { ...job, state: 'succeeded', progress: { fraction: 1, stage: 'done' } } })
    expect(store.getState().jobOrder).toEqual(['j1'])
    expect(store.getState().jobs.j1?.state).toBe('succeeded')
  })
})
