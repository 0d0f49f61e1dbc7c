import { useEffect } from 'react'
import { useAppStore } from '../store/store-context'
import { useModelPicker } from './use-model-picker'

export function OpenButton(): React.JSX.Element {
  const picker = useModelPicker('open-input')
  const importing = useAppStore((state) => state.importing)
  const { open } = picker
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'o') {
        event.preventDefault()
        open()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])
  return (
    <>
      <button type="button" className="button primary" data-testid="open-button" disabled={importing} title="Open a model (Ctrl+O)" onClick={open}>
        {importing ? 'Importing…' : 'Open model…'}
      </button>
      {picker.input}
    </>
  )
}
