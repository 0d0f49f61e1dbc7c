// The one store of the renderer, built from slices, with the bridge injected (tests pass a fake bridge).
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla'
import type { Bridge } from '../../preload/api'
import { createJobsSlice, type JobsSlice } from './jobs-slice'
import { createModelsSlice, type ModelsSlice } from './models-slice'
import { createNoticeSlice, type NoticeSlice } from './notice-slice'

export type AppState = ModelsSlice & JobsSlice & NoticeSlice

export type SliceCreator<Slice> = (bridge: Bridge) => StateCreator<AppState, [], [], Slice>

export type AppStore = StoreApi<AppState>

export function createAppStore(bridge: Bridge): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createModelsSlice(bridge)(...a),
    ...createJobsSlice(bridge)(...a),
    ...createNoticeSlice(bridge)(...a),
  }))
}
