// The pick rule, editable: what to optimize and the limits a winner must stay within.
import { objectiveWords, type Objective, type PickRule } from '../../preload/pick-rule'
import { useAppStore } from '../store/store-context'

export function PickRuleEditor(): React.JSX.Element {
  const rule = useAppStore((state) => state.pickRule)
  const setRule = useAppStore((state) => state.setPickRule)
  const update = (change: Partial<PickRule>): void => setRule({ ...rule, ...change })
  return (
    <div className="pick-rule" data-testid="pick-rule">
      <span>Pick the</span>
      <select className="input" aria-label="Objective" value={rule.objective} data-testid="pick-objective" onChange={(e) => update({ objective: e.currentTarget.value as Objective })}>
        {(Object.keys(objectiveWords) as Objective[]).map((key) => (
          <option key={key} value={key}>
            {objectiveWords[key]}
          </option>
        ))}
      </select>
      <label className="check">
        <input type="checkbox" checked={rule.maxAccuracyDrop !== null} onChange={(e) => update({ maxAccuracyDrop: e.currentTarget.checked ? 1 : null })} />
        with accuracy drop ≤
      </label>
      <input
        className="input narrow"
        type="number"
        min={0}
        step={0.1}
        aria-label="Largest accuracy drop (%)"
        disabled={rule.maxAccuracyDrop === null}
        value={rule.maxAccuracyDrop ?? ''}
        data-testid="pick-max-drop"
        onChange={(e) => update({ maxAccuracyDrop: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
      />
      <span>%</span>
      <label className="check">
        <input type="checkbox" checked={rule.maxSizeBytes !== null} onChange={(e) => update({ maxSizeBytes: e.currentTarget.checked ? 1024 * 1024 : null })} />
        and size ≤
      </label>
      <input
        className="input narrow"
        type="number"
        min={0}
        step={1}
        aria-label="Largest size (KiB)"
        disabled={rule.maxSizeBytes === null}
        value={rule.maxSizeBytes === null ? '' : Math.round(rule.maxSizeBytes / 1024)}
        onChange={(e) => update({ maxSizeBytes: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) * 1024 })}
      />
      <span>KiB</span>
    </div>
  )
}
