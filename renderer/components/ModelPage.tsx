// The selected model's page: its header, and tabs for what one does with it (inspect, optimize,
// benchmark, compare, and for a variant, what changed against its parent).
import type { ModelEntry } from '../../preload/api'
import { tabs, type Tab } from '../store/ui-slice'
import { useAppStore } from '../store/store-context'
import { PublishAction } from './deploy/PublishAction'
import { BenchmarkTab } from './BenchmarkTab'
import { ChangesTab } from './ChangesTab'
import { GraphTab } from './graph/GraphTab'
import { CompareTab } from './CompareTab'
import { ModelActions } from './ModelActions'
import { OptimizeTab } from './OptimizeTab'
import { OverviewTab, RuntimeBadge } from './OverviewTab'

function TabBody({ tab, model }: { tab: Tab; model: ModelEntry }): React.JSX.Element {
  switch (tab) {
    case 'overview':
      return <OverviewTab model={model} />
    case 'graph':
      return <GraphTab model={model} />
    case 'optimize':
      return <OptimizeTab model={model} />
    case 'benchmark':
      return <BenchmarkTab model={model} />
    case 'compare':
      return <CompareTab model={model} />
    case 'changes':
      return <ChangesTab model={model} />
  }
}

export function ModelPage({ model }: { model: ModelEntry }): React.JSX.Element {
  const selectedTab = useAppStore((state) => state.tab)
  const setTab = useAppStore((state) => state.setTab)
  const visible = tabs.filter((t) => t.id !== 'changes' || model.lineage)
  const tab = visible.some((t) => t.id === selectedTab) ? selectedTab : 'overview'
  const inspection = model.inspection
  return (
    <article className="model-page" data-testid="model-page" data-model-name={model.name}>
      <header className="page-header">
        <div>
          <h1 data-testid="model-title">{model.name}</h1>
          <div className="page-subtitle">
            <span className="badge">{model.format}</span>
            {model.lineage ? (
              <span>
                {model.lineage.recipe} of its parent · made {new Date(model.lineage.createdAt).toLocaleString()}
              </span>
            ) : (
              <span>imported from {model.source}</span>
            )}
            {inspection && <RuntimeBadge inspection={inspection} />}
          </div>
        </div>
        <div className="page-actions">
          <ModelActions model={model} />
          <PublishAction model={model} />
        </div>
      </header>
      <nav className="tabs" role="tablist" aria-label="Model views">
        {visible.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            className={`tab${t.id === tab ? ' active' : ''}`}
            aria-selected={t.id === tab}
            data-testid={`tab-${t.id}`}
            title={`${t.label} (Ctrl+${t.key})`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <div role="tabpanel" data-testid={`panel-${tab}`}>
        {/* Keyed by model: another model's page starts from its own choices, not the last model's. */}
        <TabBody key={model.id} tab={tab} model={model} />
      </div>
    </article>
  )
}
