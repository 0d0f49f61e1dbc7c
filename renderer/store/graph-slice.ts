// Model graphs for the Graph tab, fetched from the engine once per model (a model's files never change)
// and kept while the window lives; a failure is kept too, with the engine's message.
import type { ErrorInfo, ModelGraph, ModelId } from '../../preload/api'
import { errorInfoOf } from '../../preload/call-error'
import type { SliceCreator } from './app-store'

export type GraphLoad = { readonly state: 'loading' } | { readonly state: 'ready'; readonly graph: ModelGraph } | { readonly state: 'failed'; readonly error: ErrorInfo }

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
      load = { state: 'failed', error: errorInfoOf(error) }
    }
    set((state) => ({ graphs: { ...state.graphs, [id]: load } }))
  },
})
