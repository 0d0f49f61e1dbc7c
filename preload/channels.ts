// The names of the contract's calls and events, their IPC channels, and the one table that turns a
// transport's `invoke` into the typed calls of `Api` (the Electron preload and the HTTP bridge both use it).
import type { Api, Events } from './api'

export const apiMethods = [
  'getAppInfo',
  'listModels',
  'getModel',
  'importModel',
  'deleteModel',
  'planDeletion',
  'renameModel',
  'listJobs',
  'startJob',
  'cancelJob',
  'clearFinishedJobs',
  'listDataFiles',
  'addDataFile',
  'checkData',
  'suggestData',
  'setDataChoice',
  'estimateMacs',
  'setInputSpec',
  'listResults',
  'getGraph',
  'exportResult',
  'listTargets',
  'addTarget',
  'removeTarget',
  'listDeployments',
  'deploymentMetrics',
  'changeDeployment',
] as const satisfies readonly (keyof Api)[]

export const eventNames = ['models-changed', 'job-updated', 'menu-command'] as const satisfies readonly (keyof Events)[]

export type ApiMethod = (typeof apiMethods)[number]
export type EventName = (typeof eventNames)[number]

export function callChannel(method: ApiMethod): `api:${ApiMethod}` {
  return `api:${method}`
}

export function eventChannel(event: EventName): `event:${EventName}` {
  return `event:${event}`
}

/** A transport's call: sends the method and its arguments, resolves with the engine's answer. */
export type Invoke = <M extends ApiMethod>(method: M, args: Parameters<Api[M]>) => Promise<Awaited<ReturnType<Api[M]>>>

/** Every call of the contract over one transport; a call added to Api fails to compile until it is here. */
export function apiCalls(invoke: Invoke): Api {
  return {
    getAppInfo: (...args) => invoke('getAppInfo', args),
    listModels: (...args) => invoke('listModels', args),
    getModel: (...args) => invoke('getModel', args),
    importModel: (...args) => invoke('importModel', args),
    deleteModel: (...args) => invoke('deleteModel', args),
    planDeletion: (...args) => invoke('planDeletion', args),
    renameModel: (...args) => invoke('renameModel', args),
    listJobs: (...args) => invoke('listJobs', args),
    startJob: (...args) => invoke('startJob', args),
    cancelJob: (...args) => invoke('cancelJob', args),
    clearFinishedJobs: (...args) => invoke('clearFinishedJobs', args),
    listDataFiles: (...args) => invoke('listDataFiles', args),
    addDataFile: (...args) => invoke('addDataFile', args),
    checkData: (...args) => invoke('checkData', args),
    suggestData: (...args) => invoke('suggestData', args),
    setDataChoice: (...args) => invoke('setDataChoice', args),
    estimateMacs: (...args) => invoke('estimateMacs', args),
    setInputSpec: (...args) => invoke('setInputSpec', args),
    listResults: (...args) => invoke('listResults', args),
    getGraph: (...args) => invoke('getGraph', args),
    exportResult: (...args) => invoke('exportResult', args),
    listTargets: (...args) => invoke('listTargets', args),
    addTarget: (...args) => invoke('addTarget', args),
    removeTarget: (...args) => invoke('removeTarget', args),
    listDeployments: (...args) => invoke('listDeployments', args),
    deploymentMetrics: (...args) => invoke('deploymentMetrics', args),
    changeDeployment: (...args) => invoke('changeDeployment', args),
  }
}
