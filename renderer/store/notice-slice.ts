// Messages for the user: the last error of an action (in words they can act on) and short confirmations.
import type { ErrorInfo } from '../../preload/api'
import { errorInfoOf } from '../../preload/call-error'
import type { SliceCreator } from './app-store'

/** An error keeps the engine's structured error, for the UI to word; a confirmation is our own sentence. */
export type Notice = { readonly kind: 'error'; readonly error: ErrorInfo } | { readonly kind: 'info'; readonly message: string }

export interface NoticeSlice {
  readonly notice: Notice | null
  showError(error: unknown): void
  showInfo(message: string): void
  dismissNotice(): void
}

export const createNoticeSlice: SliceCreator<NoticeSlice> = () => (set) => ({
  notice: null,
  showError: (error) => set({ notice: { kind: 'error', error: errorInfoOf(error) } }),
  showInfo: (message) => set({ notice: { kind: 'info', message } }),
  dismissNotice: () => set({ notice: null }),
})
