// Engine events enter the store here, once, at start-up; components never subscribe to the bridge.
import type { Bridge } from '../../preload/api'
import type { AppStore } from './app-store'

export function connectEvents(bridge: Bridge, store: AppStore): () => void {
  const offs = [
    bridge.on('models-changed', ({ models }) => store.getState().setModels(models)),
    bridge.on('job-updated', ({ job }) => {
      store.getState().jobUpdated(job)
      void store.getState().jobFinished(job)
    }),
    bridge.on('menu-command', ({ command }) => {
      const state = store.getState()
      if (command === 'export-report') state.requestExport()
      else state.setTab(command === 'show-optimize' ? 'optimize' : command === 'show-benchmark' ? 'benchmark' : 'compare')
    }),
  ]
  return () => offs.forEach((off) => off())
}
