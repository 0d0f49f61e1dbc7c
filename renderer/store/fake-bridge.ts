// A bridge for store tests: every call fails unless the test scripts it; events are pushed with emit().
import type { Bridge, Events } from '../../preload/api'

export type FakeBridge = Bridge & { emit<E extends keyof Events>(event: E, payload: Events[E]): void }

export function fakeBridge(overrides: Partial<Bridge>): FakeBridge {
  const listeners = new Map<string, ((payload: never) => void)[]>()
  const fail = (): never => {
    throw new Error('not scripted')
  }
  return {
    getAppInfo: fail,
    listModels: async () => [],
    getModel: fail,
    importModel: fail,
    deleteModel: fail,
    listJobs: async () => [],
    startJob: fail,
    cancelJob: fail,
    listDataFiles: async () => [],
    addDataFile: fail,
    checkData: fail,
    listResults: async () => [],
    importSourceForFiles: async () => ({ kind: 'upload', uploadId: 'u1' }),
    ...overrides,
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (payload: never) => void])
      return () => undefined
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload as never)
    },
  }
}
