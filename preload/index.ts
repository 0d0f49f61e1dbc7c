// The Electron preload: exposes exactly the calls of the contract, one method each, plus event subscription
// and the path of a dropped file. Never ipcRenderer itself, never a generic invoke.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { callChannel, eventChannel, type ApiMethod, type Bridge, type Events } from './api'

function call(method: ApiMethod, ...args: unknown[]): Promise<never> {
  return ipcRenderer.invoke(callChannel(method), ...args).then((reply: { result?: unknown; error?: { name: string; message: string } }) => {
    if (reply.error) {
      const error = new Error(reply.error.message)
      error.name = reply.error.name
      throw error
    }
    return reply.result as never
  })
}

const bridge: Bridge = {
  getAppInfo: () => call('getAppInfo'),
  listModels: () => call('listModels'),
  getModel: (id) => call('getModel', id),
  importModel: (source) => call('importModel', source),
  deleteModel: (id) => call('deleteModel', id),
  listJobs: () => call('listJobs'),
  startJob: (request) => call('startJob', request),
  cancelJob: (id) => call('cancelJob', id),
  listDataFiles: () => call('listDataFiles'),
  addDataFile: (source) => call('addDataFile', source),
  checkData: (modelId, path, options) => call('checkData', modelId, path, options),
  setInputSpec: (modelId, spec) => call('setInputSpec', modelId, spec),
  listResults: (modelId) => call('listResults', modelId),
  exportResult: (modelIds, name, format) => call('exportResult', modelIds, name, format),
  listTargets: () => call('listTargets'),
  addTarget: (target) => call('addTarget', target),
  removeTarget: (name) => call('removeTarget', name),
  listDeployments: (target) => call('listDeployments', target),
  deploymentMetrics: (target, model) => call('deploymentMetrics', target, model),
  changeDeployment: (target, change) => call('changeDeployment', target, change),
  on(event, listener) {
    const channel = eventChannel(event)
    // The IpcRendererEvent is dropped: it would hand the page a reference to ipcRenderer.
    const handler = (_event: IpcRendererEvent, payload: Events[typeof event]): void => listener(payload)
    ipcRenderer.on(channel, handler)
    return () => {
      ipcRenderer.removeListener(channel, handler)
    }
  },
  async importSourceForFiles(dropped) {
    return { kind: 'paths', paths: dropped.map((file) => webUtils.getPathForFile(file)) }
  },
}

contextBridge.exposeInMainWorld('api', bridge)
