// Lays out a graph view in the layout Web Worker and returns the latest layout (a newer view supersedes
// an older one still being laid out), with how long it took. Should the worker fail to start (a host
// that refuses workers), the page lays out itself rather than show nothing, and says so.
import { useEffect, useRef, useState } from 'react'
import { layoutView, type GraphLayout } from './layout'
import type { LayoutReply, LayoutRequest } from './layout-worker'
import type { GraphView } from './view-model'

export type LayoutState =
  | { readonly state: 'working' }
  | { readonly state: 'ready'; readonly layout: GraphLayout; readonly ms: number; readonly inPage?: true }
  | { readonly state: 'failed'; readonly error: string }

function layoutInPage(view: GraphView): LayoutState {
  const started = performance.now()
  return { state: 'ready', layout: layoutView(view), ms: performance.now() - started, inPage: true }
}

export function useLayout(view: GraphView | undefined): LayoutState {
  const worker = useRef<Worker | null>(null)
  const broken = useRef(false)
  const pending = useRef<GraphView | undefined>(undefined)
  const latest = useRef(0)
  const [result, setResult] = useState<LayoutState>({ state: 'working' })
  useEffect(() => {
    const w = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' })
    w.onmessage = (event: MessageEvent<LayoutReply>) => {
      const reply = event.data
      if (reply.id !== latest.current) return
      setResult('error' in reply ? { state: 'failed', error: reply.error } : { state: 'ready', layout: reply.layout, ms: reply.ms })
    }
    w.onerror = () => {
      broken.current = true
      if (pending.current) setResult(layoutInPage(pending.current))
    }
    worker.current = w
    return () => {
      w.terminate()
      worker.current = null
    }
  }, [])
  useEffect(() => {
    if (!view) return
    pending.current = view
    if (broken.current || !worker.current) {
      setResult(layoutInPage(view))
      return
    }
    latest.current += 1
    worker.current.postMessage({ id: latest.current, view } satisfies LayoutRequest)
  }, [view])
  return result
}
