import type { Bridge } from '../preload/api'

declare global {
  interface Window {
    /** Present in the desktop app (exposed by the preload); absent in the browser host. */
    readonly api?: Bridge
  }
}
