// A bridge for store tests: every call fails unless the test scripts it; events are pushed with emit().
import { apiCalls, type Bridge, type Events } from '../../preload/api'

export type FakeBridge = Bridge & { emit<E extends keyof Events>(event: E, payload: Events[E]): void }

export function fakeBridge(overrides: Partial<Bridge>): FakeBridge {
  const listeners = new Map<string, ((payload: never) => void)[]>()
  const fail = (): never => {
    throw new Error('not scripted')
  }
  // Every call of the contract, so calls added later fail loudly instead of breaking the type.
  const unscripted = apiCalls(async () => fail())
  return {
    ...unscripted,
    listModels: async () => [],
    listJobs: async () => [],
    listDataFiles: async () => [],
    listResults: async () => [],
    listTargets: async () => [],
    addTarget: fail,
    removeTarget: fail,
    listDeployments: fail,
    deploymentMetrics: fail,
    changeDeployment: fail,
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
