// The one store of the renderer, built from slices, with the bridge injected (tests pass a fake bridge).
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla'
import type { Bridge } from '../../preload/api'
import { createDataSlice, type DataSlice } from './data-slice'
import { createDeploymentsSlice, type DeploymentsSlice } from './deployments-slice'
import { createGraphSlice, type GraphSlice } from './graph-slice'
import { createJobsSlice, type JobsSlice } from './jobs-slice'
import { createMacsSlice, type MacsSlice } from './macs-slice'
import { createModelsSlice, type ModelsSlice } from './models-slice'
import { createNoticeSlice, type NoticeSlice } from './notice-slice'
import { createResultsSlice, type ResultsSlice } from './results-slice'
import { createUiSlice, type UiSlice } from './ui-slice'

export type AppState = ModelsSlice & JobsSlice & NoticeSlice & DataSlice & ResultsSlice & UiSlice & DeploymentsSlice & GraphSlice & MacsSlice

export type SliceCreator<Slice> = (bridge: Bridge) => StateCreator<AppState, [], [], Slice>

export type AppStore = StoreApi<AppState>

export function createAppStore(bridge: Bridge): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createModelsSlice(bridge)(...a),
    ...createJobsSlice(bridge)(...a),
    ...createNoticeSlice(bridge)(...a),
    ...createDataSlice(bridge)(...a),
    ...createResultsSlice(bridge)(...a),
    ...createUiSlice(bridge)(...a),
    ...createDeploymentsSlice(bridge)(...a),
    ...createGraphSlice(bridge)(...a),
    ...createMacsSlice(bridge)(...a),
  }))
}
