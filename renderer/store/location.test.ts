import { describe, expect, it } from 'vitest'
import { createAppStore } from './app-store'
import { fakeBridge } from './fake-bridge'
import { connectLocation, formatPlace, parsePlace } from './location'

describe('the place in the URL', () => {
  it('reads back what it writes', () => {
    const places = [{ view: 'deployments' }, { view: 'models', modelId: 'e859-a b', tab: 'compare' }] as const
    for (const place of places) expect(parsePlace(formatPlace(place))).toEqual(place)
  })

  it('ignores what it does not know', () => {
    expect(parsePlace('')).toBeNull()
    expect(parsePlace('#/nowhere')).toBeNull()
    expect(parsePlace('#/models/abc/bogus')).toEqual({ view: 'models', modelId: 'abc' })
  })

  it('opens the linked model and tab once the models load, and follows the selection', async () => {
    const model = (id: string) => ({ id, name: id, format: 'onnx', mainFile: 'm.onnx', files: ['m.onnx'], sizeBytes: 1, importedAt: '', source: 'test' }) as const
    const store = createAppStore(fakeBridge({ listModels: async () => [model('a'), model('b')] }))
    const url = new URL('http://127.0.0.1/?x=1#/models/b/benchmark')
    const win = {
      location: url as unknown as Location,
      history: { replaceState: (_: unknown, __: string, next: string) => void (url.href = new URL(next, url).href) } as History,
      addEventListener: () => undefined,
    }
    connectLocation(store, win)
    await store.getState().loadModels()
    expect([store.getState().selectedId, store.getState().tab]).toEqual(['b', 'benchmark'])
    store.getState().select('a')
    expect(url.hash).toBe('#/models/a/benchmark')
    expect(url.search).toBe('?x=1')
  })
})
