// The title bar's switch between the two places of the window: the models workbench and the Deployments view.
import { useAppStore } from '../store/store-context'

const views = [
  { id: 'models', label: 'Models', testId: 'models-open' },
  { id: 'deployments', label: 'Deployments', testId: 'deployments-open' },
] as const

export function ViewSwitch(): React.JSX.Element {
  const view = useAppStore((state) => state.view)
  const setView = useAppStore((state) => state.setView)
  return (
    <nav className="view-switch" aria-label="Views">
      {views.map((v) => (
        <button
          key={v.id}
          type="button"
          className={`view-switch-item${view === v.id ? ' active' : ''}`}
          aria-current={view === v.id ? 'page' : undefined}
          data-testid={v.testId}
          onClick={() => setView(v.id)}
        >
          {v.label}
        </button>
      ))}
    </nav>
  )
}
