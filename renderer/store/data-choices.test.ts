import { describe, expect, it } from 'vitest'
import type { DataFileInfo, DataRole, DataSuggestions, ModelEntry } from '../../preload/api'
import { createAppStore } from './app-store'
import { dataChoiceOf } from './data-slice'
import { fakeBridge } from './fake-bridge'

const model = (id: string, dataChoices?: ModelEntry['dataChoices']): ModelEntry => ({
  id, name: id, format: 'onnx', mainFile: 'model.onnx', files: [], sizeBytes: 1, importedAt: id, source: 'x', ...(dataChoices ? { dataChoices } : {}),
})
const file = (name: string): DataFileInfo => ({ name, path: `/ws/data/${name}`, sizeBytes: 10, source: 'upload' })
const fits = (name: string): { path: string; reason: string } => ({ path: `/ws/data/${name}`, reason: 'fits input x [1, 1, 28, 28] · 1000 rows' })
const mnistSuggestions: DataSuggestions = { calibration: fits('x.npy'), evaluation: fits('x.npy'), labels: { path: '/ws/data/y.npy', reason: 'pairs with x.npy' } }

describe('data choices per model', () => {
  it("starts each model with its own suggestion or none, and keeps a choice for that model only", async () => {
    let asked = 0
    const chosen: Record<string, ModelEntry['dataChoices']> = {}
    const store = createAppStore(
      fakeBridge({
        listModels: async () => [model('mnist'), model('other')],
        suggestData: async (id) => {
          asked++
          return id === 'mnist' ? mnistSuggestions : {}
        },
        setDataChoice: async (id, role: DataRole, path) => {
          chosen[id] = { ...chosen[id], [role]: path }
          return model(id, chosen[id])
        },
      }),
    )
    await store.getState().loadModels()
    const at = (id: string, role: DataRole) => dataChoiceOf(store.getState(), id, role)
    expect(at('mnist', 'evaluation')).toEqual({ how: 'looking', path: null })
    await Promise.all([store.getState().suggestData('mnist'), store.getState().suggestData('mnist'), store.getState().suggestData('other')])
    await store.getState().suggestData('mnist')
    expect(asked).toBe(2)
    expect(at('mnist', 'calibration')).toMatchObject({ how: 'suggested', path: '/ws/data/x.npy' })
    expect(at('mnist', 'labels')).toMatchObject({ how: 'suggested', path: '/ws/data/y.npy' })
    // Nothing fits the other model: no data, rather than another model's.
    expect(at('other', 'calibration')).toEqual({ how: 'none', path: null })

    // Other evaluation data makes the paired labels wrong: they are no longer suggested.
    await store.getState().chooseData('mnist', 'evaluation', '/ws/data/z.npy')
    expect(at('mnist', 'evaluation')).toEqual({ how: 'chosen', path: '/ws/data/z.npy' })
    expect(at('mnist', 'labels')).toEqual({ how: 'none', path: null })
    // Clearing a choice is a choice: no suggestion takes its place.
    await store.getState().chooseData('mnist', 'calibration', null)
    expect(at('mnist', 'calibration')).toEqual({ how: 'chosen', path: null })
    expect(at('other', 'evaluation')).toEqual({ how: 'none', path: null })
  })

  it('asks again for suggestions when the list of data files changes, not when it is the same', async () => {
    let files = [file('a.npy')]
    const store = createAppStore(fakeBridge({ listDataFiles: async () => files, suggestData: async () => ({}) }))
    await store.getState().loadDataFiles()
    await store.getState().suggestData('m')
    await store.getState().loadDataFiles()
    expect(store.getState().dataSuggestions.m).toEqual({})
    files = [file('a.npy'), file('b.npy')]
    await store.getState().loadDataFiles()
    expect(store.getState().dataSuggestions.m).toBeUndefined()
  })
})
