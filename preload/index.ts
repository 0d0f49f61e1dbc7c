// The Electron preload: exposes exactly the calls of the contract, one method each, plus event subscription
// and the path of a dropped file. Never ipcRenderer itself, never a generic invoke.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { apiCalls, callChannel, eventChannel, type Api, type Bridge, type ErrorInfo, type Events, type Invoke } from './api'

// The answer crosses as plain data ({ result } or { error }); the contract says what the result is. A
// failure rejects with the ErrorInfo itself: contextBridge would strip an Error down to its message.
const invoke: Invoke = (method, args) =>
  ipcRenderer.invoke(callChannel(method), ...args).then((reply: { result?: unknown; error?: ErrorInfo }) => {
    if (reply.error) return Promise.reject(reply.error)
    return reply.result as Awaited<ReturnType<Api[typeof method]>>
  })

const bridge: Bridge = {
  ...apiCalls(invoke),
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
