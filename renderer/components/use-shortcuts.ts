// Keyboard shortcuts of the window: Ctrl/Cmd+1…6 switch tabs, Ctrl/Cmd+E exports the comparison,
// Ctrl/Cmd+O opens a model (the Open button listens for it, as it owns the file dialog).
import { useEffect } from 'react'
import { tabs } from '../store/ui-slice'
import { useAppStore } from '../store/store-context'

export function useShortcuts(): void {
  const setTab = useAppStore((state) => state.setTab)
  const requestExport = useAppStore((state) => state.requestExport)
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return
      const tab = tabs.find((t) => t.key === event.key)
      if (tab) {
        event.preventDefault()
        setTab(tab.id)
      } else if (event.key.toLowerCase() === 'e') {
        event.preventDefault()
        requestExport()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [setTab, requestExport])
}
