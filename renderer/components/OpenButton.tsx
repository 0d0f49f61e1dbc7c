import { useEffect, useRef } from 'react'
import { useAppStore } from '../store/store-context'
import { filesFromInput } from './pick-files'

export function OpenButton(): React.JSX.Element {
  const input = useRef<HTMLInputElement>(null)
  const importFiles = useAppStore((state) => state.importFiles)
  const importing = useAppStore((state) => state.importing)
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'o') {
        event.preventDefault()
        input.current?.click()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <>
      <button
        type="button"
        className="button primary"
        data-testid="open-button"
        disabled={importing}
        title="Open a model (Ctrl+O)"
        onClick={() => input.current?.click()}
      >
        {importing ? 'Importing…' : 'Open model…'}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept=".onnx,.json,.bin,.data"
        data-testid="open-input"
        onChange={(event) => {
          const list = event.currentTarget.files
          if (list && list.length > 0) {
            const { dropped, expanded } = filesFromInput(list)
            void importFiles(dropped, expanded)
          }
          event.currentTarget.value = ''
        }}
      />
    </>
  )
}
