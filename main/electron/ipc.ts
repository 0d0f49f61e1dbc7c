// The only file that touches ipcMain: registers every call of the contract through one wrapper that checks
// the sender frame and parses the arguments, and sends events to the window.
import { ipcMain, type WebContents } from 'electron'
import { apiMethods, callChannel, eventChannel, eventNames, type Api } from '../../preload/api'
import { parseArgs } from '../core/api-schemas'
import { toErrorInfo } from '../core/errors'
import type { AppService } from '../core/app-service'

export function registerApi(api: Api, isTrustedFrame: (url: string | undefined) => boolean): void {
  for (const method of apiMethods) {
    ipcMain.handle(callChannel(method), async (event, ...raw: unknown[]) => {
      const frame = event.senderFrame
      // Only our own window's main frame may call (Electron security checklist #17).
      if (!frame || frame.parent !== null || !isTrustedFrame(frame.url)) return { error: { name: 'UserError', message: `refused ${method}: untrusted sender` } }
      try {
        const args = parseArgs(method, raw)
        const result = await (api[method] as (...a: unknown[]) => Promise<unknown>)(...(args as unknown[]))
        return { result }
      } catch (error) {
        // Errors cross as plain data: Electron would otherwise keep only a prefixed message.
        return { error: toErrorInfo(error) }
      }
    })
  }
}

export function forwardEvents(service: AppService, target: () => WebContents | undefined): void {
  for (const event of eventNames) {
    service.on(event, (payload) => {
      const contents = target()
      if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload)
    })
  }
}
