// The title bar's switch between the models workbench and the Deployments view.
import { useAppStore } from '../../store/store-context'
import './deploy.css'

export function DeploymentsButton(): React.JSX.Element {
  const view = useAppStore((state) => state.view)
  const setView = useAppStore((state) => state.setView)
  return (
    <button
      type="button"
      className={`button${view === 'deployments' ? ' primary' : ''}`}
      data-testid="deployments-open"
      onClick={() => setView(view === 'deployments' ? 'models' : 'deployments')}
    >
      {view === 'deployments' ? 'Models' : 'Deployments'}
    </button>
  )
}
