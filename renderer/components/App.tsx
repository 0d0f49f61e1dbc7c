// The workbench: models and variants on the left, the selected item's page on the right, jobs below.
import { useAppStore } from '../store/store-context'
import { DeploymentsView } from './deploy/DeploymentsView'
import { DropOverlay } from './DropOverlay'
import { EmptyState } from './EmptyState'
import { JobTray } from './JobTray'
import { ModelPage } from './ModelPage'
import { ModelTree } from './ModelTree'
import { NoticeBanner } from './NoticeBanner'
import { OpenButton } from './OpenButton'
import { useShortcuts } from './use-shortcuts'
import { ViewSwitch } from './ViewSwitch'

export function App(): React.JSX.Element {
  const selected = useAppStore((state) => state.models.find((model) => model.id === state.selectedId) ?? null)
  const modelsLoaded = useAppStore((state) => state.modelsLoaded)
  const hasModels = useAppStore((state) => state.models.length > 0)
  const deploymentsShown = useAppStore((state) => state.view === 'deployments')
  useShortcuts()
  return (
    <div className="app" data-app-state={modelsLoaded ? 'ready' : 'loading'}>
      <header className="titlebar">
        <div className="brand">
          <img className="brand-mark" src="./favicon.svg" alt="" />
          Slipway
        </div>
        <ViewSwitch />
        <div className="titlebar-actions">
          <OpenButton />
        </div>
      </header>
      <NoticeBanner />
      <div className="workbench">
        <aside className="sidebar" aria-label="Models">
          <div className="sidebar-title">Models</div>
          <ModelTree />
          {hasModels && <p className="sidebar-hint">Drop models (or .npy, .npz, .csv data) anywhere on the window, or press Ctrl+O.</p>}
        </aside>
        <main className="content">
          {deploymentsShown ? (
            <DeploymentsView />
          ) : selected ? (
            <ModelPage model={selected} />
          ) : (
            modelsLoaded && <EmptyState />
          )}
        </main>
      </div>
      <JobTray />
      <DropOverlay />
    </div>
  )
}
