// The Publish button of a model page, opening the publish dialog over the page.
import { useState } from 'react'
import type { ModelEntry } from '../../../preload/api'
import { Dialog } from '../Dialog'
import './deploy.css'
import { PublishPanel } from './PublishPanel'

export function PublishAction({ model }: { model: ModelEntry }): React.JSX.Element {
  const [open, setOpen] = useState(false)
  const onnx = model.format === 'onnx'
  return (
    <>
      <button
        type="button"
        className="button primary"
        data-testid="publish-open"
        disabled={!onnx}
        title={onnx ? 'Publish this model to a server or a folder' : 'Servers take ONNX: convert this model first'}
        onClick={() => setOpen(true)}
      >
        Publish…
      </button>
      {open && (
        <Dialog title={`Publish ${model.name}`} onClose={() => setOpen(false)} size="wide" testId="publish-dialog">
          <PublishPanel model={model} />
        </Dialog>
      )}
    </>
  )
}
