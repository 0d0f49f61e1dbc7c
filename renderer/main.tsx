// Composition root of the renderer: pick the bridge, create the store, connect events, render.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import type { Bridge } from '../preload/api'
import { createHttpBridge } from './bridge/http-bridge'
import { App } from './components/App'
import { createAppStore } from './store/app-store'
import { connectEvents } from './store/events'
import { connectLocation } from './store/location'
import { StoreContext } from './store/store-context'
import './styles.css'

function pickBridge(): Bridge {
  if (window.api) return window.api
  const params = new URLSearchParams(window.location.search)
  // The token arrives in the URL once; keep it for reloads and take it out of the address bar and history.
  const token = params.get('token') ?? sessionStorage.getItem('slipway-token') ?? ''
  sessionStorage.setItem('slipway-token', token)
  if (params.has('token')) window.history.replaceState(null, '', window.location.pathname + window.location.hash)
  return createHttpBridge(window.location.origin, token)
}

const bridge = pickBridge()
const store = createAppStore(bridge)
connectEvents(bridge, store)
connectLocation(store, window)
void Promise.all([store.getState().loadModels(), store.getState().loadJobs()]).catch((error: unknown) =>
  store.getState().showError(error),
)

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
)
