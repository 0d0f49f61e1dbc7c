// What the window shows before there is a model: where to drop one, the file dialog, and the sample.
import { useAppStore } from '../store/store-context'
import { useModelPicker } from './use-model-picker'

export function EmptyState(): React.JSX.Element {
  const picker = useModelPicker('empty-open-input')
  const importSample = useAppStore((state) => state.importSample)
  const importing = useAppStore((state) => state.importing)
  return (
    <section className="empty-state" data-testid="empty-state" aria-labelledby="empty-state-title">
      <div className="drop-target">
        <img className="empty-icon" src="./favicon.svg" alt="" />
        <h2 id="empty-state-title">Drop a model here</h2>
        <p>An .onnx file, or a TF.js model.json with its weight shards (or their folder). Drop anywhere on this window.</p>
        <button type="button" className="button primary" onClick={picker.open} disabled={importing} data-testid="empty-open">
          {importing ? 'Importing…' : 'Choose a model…'}
        </button>
        {picker.input}
      </div>
      <p className="empty-sample">
        or{' '}
        <button type="button" className="button small" onClick={() => void importSample()} disabled={importing} data-testid="try-sample">
          try the sample
        </button>
        : a small digit classifier, with calibration and labelled test data.
      </p>
    </section>
  )
}
