// Drop anywhere on the window. The drop is always taken here, so a dropped file never navigates the page.
import { useEffect, useState } from 'react'
import { useAppStore } from '../store/store-context'
import { filesFromDrop, isDataFile } from './pick-files'

export function DropOverlay(): React.JSX.Element | null {
  const [over, setOver] = useState(false)
  const importFiles = useAppStore((state) => state.importFiles)
  const addDataFiles = useAppStore((state) => state.addDataFiles)

  useEffect(() => {
    let depth = 0
    const hasFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false
    const onEnter = (event: DragEvent): void => {
      if (!hasFiles(event)) return
      depth++
      setOver(true)
    }
    const onLeave = (): void => {
      depth = Math.max(0, depth - 1)
      if (depth === 0) setOver(false)
    }
    const onOver = (event: DragEvent): void => {
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    }
    const onDrop = (event: DragEvent): void => {
      event.preventDefault()
      depth = 0
      setOver(false)
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) return
      // Data files (arrays, tables) become calibration/evaluation data; anything else is a model to import.
      void filesFromDrop(event.dataTransfer).then(async ({ dropped, expanded }) => {
        if (expanded.length > 0 && expanded.every(({ relativePath }) => isDataFile(relativePath))) await addDataFiles(dropped, expanded)
        else await importFiles(dropped, expanded)
      })
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('dragover', onOver)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('drop', onDrop)
    }
  }, [importFiles, addDataFiles])

  if (!over) return null
  return (
    <div className="drop-overlay" data-testid="drop-overlay">
      <div className="drop-card">Drop to import (models, or .npy/.npz/.csv data)</div>
    </div>
  )
}
