// Messages for the user: the last error of an action (in words they can act on) and short confirmations.
import type { SliceCreator } from './app-store'

export interface Notice {
  readonly kind: 'error' | 'info'
  readonly message: string
}

export interface NoticeSlice {
  readonly notice: Notice | null
  showError(error: unknown): void
  showInfo(message: string): void
  dismissNotice(): void
}

export const createNoticeSlice: SliceCreator<NoticeSlice> = () => (set) => ({
  notice: null,
  showError: (error) => set({ notice: { kind: 'error', message: error instanceof Error ? error.message : String(error) } }),
  showInfo: (message) => set({ notice: { kind: 'info', message } }),
  dismissNotice: () => set({ notice: null }),
})
