// Model graphs for the Graph tab, fetched from the engine once per model (a model's files never change)
// and kept while the window lives; a failure is kept too, with the engine's message.
import type { ModelGraph, ModelId } from '../../preload/api'
import type { SliceCreator } from './app-store'

export type GraphLoad = { readonly state: 'loading' } | { readonly state: 'ready'; readonly graph: ModelGraph } | { readonly state: 'failed'; readonly error: string }

export interface GraphSlice {
  readonly graphs: Readonly<Record<ModelId, GraphLoad>>
  loadGraph(id: ModelId): Promise<void>
}

export const createGraphSlice: SliceCreator<GraphSlice> = (bridge) => (set, get) => ({
  graphs: {},
  async loadGraph(id) {
    if (get().graphs[id]) return
    set((state) => ({ graphs: { ...state.graphs, [id]: { state: 'loading' } } }))
    let load: GraphLoad
    try {
      load = { state: 'ready', graph: await bridge.getGraph(id) }
    } catch (error) {
      load = { state: 'failed', error: error instanceof Error ? error.message : String(error) }
    }
    set((state) => ({ graphs: { ...state.graphs, [id]: load } }))
  },
})
