// A recipe's options as a form: numbers, choices, switches and name lists, each with its help line.
import type { Field, FieldValue } from '../optimize/recipe-cards'

interface Props {
  readonly fields: readonly Field[]
  readonly values: Readonly<Record<string, FieldValue>>
  onChange(key: string, value: FieldValue): void
  readonly testId: string
}

export function OptionFields({ fields, values, onChange, testId }: Props): React.JSX.Element {
  return (
    <div className="option-fields" data-testid={testId}>
      {fields.map((field) => {
        const value = values[field.key]
        const id = `${testId}-${field.key}`
        return (
          <div className={`option-field option-${field.type}`} key={field.key}>
            {field.type === 'checkbox' ? (
              <label htmlFor={id} className="check">
                <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(field.key, e.currentTarget.checked)} /> {field.label}
              </label>
            ) : (
              <>
                <label htmlFor={id} className="field-label">
                  {field.label}
                </label>
                {field.type === 'select' ? (
                  <select id={id} className="input" value={String(value ?? field.options?.[0] ?? '')} onChange={(e) => onChange(field.key, e.currentTarget.value)}>
                    {field.options?.map((option) => (
                      <option key={option}>{option}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    className="input"
                    type={field.type === 'number' ? 'number' : 'text'}
                    value={value === undefined ? '' : String(value)}
                    min={field.min}
                    max={field.max}
                    step={field.step}
                    onChange={(e) => onChange(field.key, field.type === 'number' && e.currentTarget.value !== '' ? Number(e.currentTarget.value) : e.currentTarget.value)}
                  />
                )}
              </>
            )}
            {field.help && <div className="field-help">{field.help}</div>}
          </div>
        )
      })}
    </div>
  )
}
