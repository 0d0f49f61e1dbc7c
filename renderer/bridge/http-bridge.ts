// The contract over the browser host: calls are POST /api/<method>, events arrive on one WebSocket, and
// dropped files are uploaded into a staging folder. The token comes from the page URL.
import { apiCalls, type Api, type Bridge, type ErrorInfo, type Events, type ApiMethod, type ImportSource, type PickedFile } from '../../preload/api'
import { CallError } from '../../preload/call-error'

const TOKEN_HEADER = 'x-slipway-token'

type Listener = (payload: never) => void

export function createHttpBridge(origin: string, token: string): Bridge {
  const listeners = new Map<keyof Events, Set<Listener>>()
  let socket: WebSocket | undefined

  function connect(): void {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(token)}`)
    ws.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: keyof Events; payload: never }
      for (const listener of listeners.get(event) ?? []) listener(payload)
    }
    // The host restarted or the network blinked: reconnect, the store refreshes on its next event.
    ws.onclose = () => {
      socket = undefined
      setTimeout(() => listeners.size > 0 && connect(), 1000)
    }
    socket = ws
  }

  async function call<M extends ApiMethod>(method: M, args: Parameters<Api[M]>): Promise<Awaited<ReturnType<Api[M]>>> {
    const response = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({ args }),
    })
    const body = (await response.json()) as { result?: unknown; error?: ErrorInfo | string }
    if (!response.ok || body.error) {
      const error = body.error
      throw new CallError(typeof error === 'object' ? error : { name: 'Error', message: error ?? `HTTP ${response.status}` })
    }
    // The engine's answer to this call (checked by the engine's types; JSON carries no type of its own).
    return body.result as Awaited<ReturnType<Api[M]>>
  }

  async function upload(_dropped: readonly File[], files: readonly PickedFile[]): Promise<ImportSource> {
    const created = await fetch(`${origin}/upload`, { method: 'POST', headers: { [TOKEN_HEADER]: token } })
    const { uploadId } = (await created.json()) as { uploadId: string }
    for (const { file, relativePath } of files) {
      const path = relativePath || file.name
      const response = await fetch(`${origin}/upload/${uploadId}/${path.split('/').map(encodeURIComponent).join('/')}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', [TOKEN_HEADER]: token },
        body: file,
      })
      if (!response.ok) throw new Error(`upload of ${file.name} failed (HTTP ${response.status})`)
    }
    return { kind: 'upload', uploadId }
  }

  return {
    ...apiCalls(call),
    on(event, listener) {
      if (!socket) connect()
      const set = listeners.get(event) ?? new Set<Listener>()
      set.add(listener as Listener)
      listeners.set(event, set)
      return () => {
        set.delete(listener as Listener)
      }
    },
    importSourceForFiles: upload,
  }
}
