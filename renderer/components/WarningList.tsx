import type { InspectionWarning } from '../../preload/api'

export function WarningList({ warnings }: { warnings: readonly InspectionWarning[] }): React.JSX.Element | null {
  if (warnings.length === 0) return null
  const order = { error: 0, warning: 1, info: 2 }
  const sorted = [...warnings].sort((a, b) => order[a.severity] - order[b.severity])
  return (
    <section className="warnings" aria-label="Deployment warnings" data-testid="warnings">
      {sorted.map((warning, index) => (
        <div key={index} className={`warning warning-${warning.severity}`} data-testid="warning" data-code={warning.code}>
          <span className="warning-severity">{warning.severity}</span>
          <span>{warning.message}</span>
        </div>
      ))}
    </section>
  )
}
