// The window's place in its URL: '#/models/<id>/<tab>' or '#/deployments', so a reload or a shared link
// opens the same view. The hash, not the path: the renderer is one file (file:// in Electron).
import type { AppStore } from './app-store'
import { tabs, type Tab } from './ui-slice'

export interface Place {
  readonly view: 'models' | 'deployments'
  readonly modelId?: string
  readonly tab?: Tab
}

export function parsePlace(hash: string): Place | null {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent)
  if (parts[0] === 'deployments') return { view: 'deployments' }
  if (parts[0] !== 'models' || !parts[1]) return null
  const tab = tabs.find((t) => t.id === parts[2])?.id
  return { view: 'models', modelId: parts[1], ...(tab ? { tab } : {}) }
}

export function formatPlace(place: Place): string {
  if (place.view === 'deployments') return '#/deployments'
  return place.modelId ? `#/models/${encodeURIComponent(place.modelId)}/${place.tab ?? 'overview'}` : ''
}

/** Opens the place the URL names, then keeps the URL in step with the store (replacing, not adding, history). */
export function connectLocation(store: AppStore, win: Pick<Window, 'location' | 'history' | 'addEventListener'>): void {
  const apply = (): void => {
    const place = parsePlace(win.location.hash)
    if (!place) return
    store.setState({ view: place.view, ...(place.modelId ? { selectedId: place.modelId } : {}), ...(place.tab ? { tab: place.tab } : {}) })
  }
  apply()
  win.addEventListener('hashchange', apply)
  store.subscribe((state) => {
    const hash = formatPlace({ view: state.view, ...(state.selectedId ? { modelId: state.selectedId } : {}), tab: state.tab })
    if (hash !== win.location.hash) win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}${hash}`)
  })
}
