// The file dialog for models, for every button that opens one (title bar, empty state, sidebar): a hidden
// file input to render once, and the function that opens it.
import { useCallback, useRef } from 'react'
import { useAppStore } from '../store/store-context'
import { filesFromInput } from './pick-files'

export function useModelPicker(testId: string): { readonly input: React.JSX.Element; open(): void } {
  const ref = useRef<HTMLInputElement>(null)
  const importFiles = useAppStore((state) => state.importFiles)
  const input = (
    <input
      ref={ref}
      type="file"
      multiple
      hidden
      accept=".onnx,.json,.bin,.data"
      data-testid={testId}
      onChange={(event) => {
        const list = event.currentTarget.files
        if (list && list.length > 0) {
          const { dropped, expanded } = filesFromInput(list)
          void importFiles(dropped, expanded)
        }
        event.currentTarget.value = ''
      }}
    />
  )
  const open = useCallback(() => ref.current?.click(), [])
  return { input, open }
}
