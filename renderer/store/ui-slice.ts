// What the window shows: the selected model's tab, and commands from menus and shortcuts.
import type { SliceCreator } from './app-store'

export type Tab = 'overview' | 'optimize' | 'benchmark' | 'compare' | 'changes'

export const tabs: readonly { readonly id: Tab; readonly label: string; readonly key: string }[] = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'optimize', label: 'Optimize', key: '2' },
  { id: 'benchmark', label: 'Benchmark', key: '3' },
  { id: 'compare', label: 'Compare', key: '4' },
  { id: 'changes', label: 'Changes', key: '5' },
]

export interface UiSlice {
  readonly tab: Tab
  /** Bumped by the Export command (menu or shortcut); the comparison page exports when it sees it change. */
  readonly exportRequests: number
  setTab(tab: Tab): void
  requestExport(): void
}

export const createUiSlice: SliceCreator<UiSlice> = () => (set) => ({
  tab: 'overview',
  exportRequests: 0,
  setTab: (tab) => set({ tab }),
  requestExport: () => set((state) => ({ exportRequests: state.exportRequests + 1, tab: 'compare' })),
})
