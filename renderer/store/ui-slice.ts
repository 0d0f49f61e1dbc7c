// What the window shows: the selected model's tab, and commands from menus and shortcuts.
import type { SliceCreator } from './app-store'

export type Tab = 'overview' | 'graph' | 'optimize' | 'benchmark' | 'compare' | 'changes'

export const tabs: readonly { readonly id: Tab; readonly label: string; readonly key: string }[] = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'graph', label: 'Graph', key: '6' },
  { id: 'optimize', label: 'Optimize', key: '2' },
  { id: 'benchmark', label: 'Benchmark', key: '3' },
  { id: 'compare', label: 'Compare', key: '4' },
  { id: 'changes', label: 'Changes', key: '5' },
]

export interface UiSlice {
  readonly tab: Tab
  /** What the Export command (menu or shortcut) runs: the comparison in view registers it while it is shown. */
  readonly exporter: (() => void) | null
  setTab(tab: Tab): void
  setExporter(exporter: (() => void) | null): void
  /** The Export command: shows the comparison and exports it when it is already in view. */
  requestExport(): void
}

export const createUiSlice: SliceCreator<UiSlice> = () => (set, get) => ({
  tab: 'overview',
  exporter: null,
  setTab: (tab) => set({ tab }),
  setExporter: (exporter) => set({ exporter }),
  requestExport() {
    get().exporter?.()
    set({ tab: 'compare' })
  },
})
