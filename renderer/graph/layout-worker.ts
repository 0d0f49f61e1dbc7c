// The layout Web Worker: keeps the UI responsive while dagre places the nodes. One request at a time per
// view; block layouts stay cached between requests (opening a node re-lays out only its block).
import { LayoutCache, layoutView, type GraphLayout } from './layout'
import type { GraphView } from './view-model'

export interface LayoutRequest {
  readonly id: number
  readonly view: GraphView
}

export type LayoutReply = { readonly id: number; readonly layout: GraphLayout; readonly ms: number } | { readonly id: number; readonly error: string }

const cache = new LayoutCache()

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, view } = event.data
  const started = performance.now()
  try {
    const layout = layoutView(view, cache)
    self.postMessage({ id, layout, ms: performance.now() - started } satisfies LayoutReply)
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies LayoutReply)
  }
}
