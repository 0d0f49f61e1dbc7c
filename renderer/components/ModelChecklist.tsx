// Choosing models of a family (the baseline and its variants) for a benchmark or a comparison.
import type { ModelEntry, ModelId } from '../../preload/api'
import { formatBytes } from '../format'

interface Props {
  readonly models: readonly ModelEntry[]
  readonly chosen: readonly ModelId[]
  onChange(ids: ModelId[]): void
  readonly testId: string
  /** A model that is always in (the comparison's baseline). */
  readonly fixedId?: ModelId
}

export function ModelChecklist({ models, chosen, onChange, testId, fixedId }: Props): React.JSX.Element {
  return (
    <ul className="checklist" data-testid={testId}>
      {models.map((model) => (
        <li key={model.id}>
          <label className="check">
            <input
              type="checkbox"
              data-testid={`${testId}-item`}
              data-model-name={model.name}
              checked={model.id === fixedId || chosen.includes(model.id)}
              disabled={model.id === fixedId}
              onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, model.id] : chosen.filter((id) => id !== model.id))}
            />
            <span>{model.name}</span>
            <span className="muted small">
              {model.lineage?.recipe ?? (model.id === fixedId ? 'baseline' : 'imported')} · {formatBytes(model.sizeBytes)}
            </span>
          </label>
        </li>
      ))}
    </ul>
  )
}
