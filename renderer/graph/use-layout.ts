// Lays out a graph view in the layout Web Worker and returns the latest layout (a newer view supersedes
// an older one still being laid out), with how long the worker took.
import { useEffect, useRef, useState } from 'react'
import type { GraphLayout } from './layout'
import type { LayoutReply, LayoutRequest } from './layout-worker'
import type { GraphView } from './view-model'

export type LayoutState = { readonly state: 'working' } | { readonly state: 'ready'; readonly layout: GraphLayout; readonly ms: number } | { readonly state: 'failed'; readonly error: string }

export function useLayout(view: GraphView | undefined): LayoutState {
  const worker = useRef<Worker | null>(null)
  const latest = useRef(0)
  const [result, setResult] = useState<LayoutState>({ state: 'working' })
  useEffect(() => {
    const w = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' })
    w.onmessage = (event: MessageEvent<LayoutReply>) => {
      const reply = event.data
      if (reply.id !== latest.current) return
      setResult('error' in reply ? { state: 'failed', error: reply.error } : { state: 'ready', layout: reply.layout, ms: reply.ms })
    }
    w.onerror = (event) => setResult({ state: 'failed', error: event.message || 'the layout worker did not start' })
    worker.current = w
    return () => {
      w.terminate()
      worker.current = null
    }
  }, [])
  useEffect(() => {
    if (!view || !worker.current) return
    latest.current += 1
    worker.current.postMessage({ id: latest.current, view } satisfies LayoutRequest)
  }, [view])
  return result
}
