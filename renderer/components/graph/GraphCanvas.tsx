// The graph drawn in SVG with pan (drag) and zoom (wheel, buttons). Only what lies in the viewport is in
// the DOM (nodes, edges and frames culled against the visible rectangle), so a big graph costs what a
// screenful of it costs; text is left out when zoomed far out.
import { useEffect, useMemo, useRef, useState } from 'react'
import type { GraphLayout, PlacedNode } from '../../graph/layout'
import type { NodeMark } from '../../graph/overlays'

interface Transform {
  readonly x: number
  readonly y: number
  readonly k: number
}

export interface GraphCanvasProps {
  readonly layout: GraphLayout
  readonly marks: ReadonlyMap<string, NodeMark>
  readonly selected: string | null
  /** Node to bring into view (changes when a search result is picked). */
  readonly focus: { readonly id: string; readonly n: number } | null
  readonly edgeLabel: (tensor: string) => string
  onSelect(id: string): void
  onToggleBlock(id: string): void
  onToggleNode(id: string): void
}

const MIN_K = 0.05
const MAX_K = 3
const clampK = (k: number): number => Math.min(MAX_K, Math.max(MIN_K, k))

function intersects(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

export function GraphCanvas(props: GraphCanvasProps): React.JSX.Element {
  const { layout, marks, selected, focus, edgeLabel } = props
  const box = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState({ width: 800, height: 600 })
  const [t, setT] = useState<Transform>({ x: 0, y: 0, k: 1 })
  const drag = useRef<{ x: number; y: number; tx: number; ty: number } | null>(null)
  const fitted = useRef(false)

  useEffect(() => {
    const el = box.current
    if (!el) return
    const observer = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }))
    observer.observe(el)
    setSize({ width: el.clientWidth, height: el.clientHeight })
    return () => observer.disconnect()
  }, [])

  // The first layout is fitted to the width (never below a readable scale), from the top.
  useEffect(() => {
    if (fitted.current || layout.nodes.length === 0) return
    fitted.current = true
    const k = clampK(Math.max(0.35, Math.min(1, (size.width - 20) / layout.width)))
    setT({ k, x: (size.width - layout.width * k) / 2, y: 10 })
  }, [layout, size.width])

  // Centred once per request, when a layout holding the node arrives (opening its block lays out anew).
  const centred = useRef(0)
  useEffect(() => {
    if (!focus || centred.current === focus.n) return
    const node = layout.nodes.find((n) => n.node.id === focus.id)
    if (!node) return
    centred.current = focus.n
    setT((prev) => {
      const k = Math.max(prev.k, 0.8)
      // A node with open bodies can be bigger than the view: its top-left corner comes into view instead.
      const x = node.width * k > size.width ? 20 - node.x * k : size.width / 2 - (node.x + node.width / 2) * k
      const y = node.height * k > size.height / 2 ? 20 - node.y * k : size.height / 2 - (node.y + node.height / 2) * k
      return { k, x, y }
    })
  }, [focus, layout, size])

  const view = { x: -t.x / t.k, y: -t.y / t.k, width: size.width / t.k, height: size.height / t.k }
  const visibleNodes = layout.nodes.filter((n) => intersects(n, view))
  const visibleBodies = layout.bodies.filter((b) => intersects(b, view))
  const visibleEdges = useMemo(
    () =>
      layout.edges.filter((e) => {
        let minX = Infinity
        let minY = Infinity
        let maxX = -Infinity
        let maxY = -Infinity
        for (const p of e.points) {
          minX = Math.min(minX, p.x)
          minY = Math.min(minY, p.y)
          maxX = Math.max(maxX, p.x)
          maxY = Math.max(maxY, p.y)
        }
        return intersects({ x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 }, view)
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the view rectangle is derived from t and size
    [layout, t, size],
  )
  const detailed = t.k >= 0.35
  const labelled = t.k >= 0.7

  const zoomAt = (factor: number, cx: number, cy: number): void =>
    setT((prev) => {
      const k = clampK(prev.k * factor)
      return { k, x: cx - ((cx - prev.x) * k) / prev.k, y: cy - ((cy - prev.y) * k) / prev.k }
    })

  useEffect(() => {
    const el = box.current
    if (!el) return
    // Not React's onWheel: it is passive, and the page must not scroll while zooming.
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault()
      const rect = el.getBoundingClientRect()
      if (event.ctrlKey || event.metaKey || !event.shiftKey) zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top)
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [])

  const nodeClass = (n: PlacedNode): string => {
    const mark = marks.get(n.node.id)
    return `gnode gnode-${n.node.kind}${mark ? ` ${mark.tone}` : ''}${selected === n.node.id ? ' selected' : ''}${n.node.bodies ? ' open' : ''}`
  }

  return (
    <div
      ref={box}
      className="graph-canvas"
      data-testid="graph-canvas"
      data-visible-nodes={visibleNodes.length}
      data-zoom={t.k.toFixed(2)}
      onPointerDown={(event) => {
        if ((event.target as Element).closest('.gnode')) return
        drag.current = { x: event.clientX, y: event.clientY, tx: t.x, ty: t.y }
        event.currentTarget.setPointerCapture(event.pointerId)
      }}
      onPointerMove={(event) => {
        const d = drag.current
        if (d) setT((prev) => ({ ...prev, x: d.tx + event.clientX - d.x, y: d.ty + event.clientY - d.y }))
      }}
      onPointerUp={() => {
        drag.current = null
      }}
    >
      <svg width={size.width} height={size.height} role="img" aria-label="model graph">
        <defs>
          <marker id="graph-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className="gedge-arrow" />
          </marker>
        </defs>
        <g transform={`translate(${t.x},${t.y}) scale(${t.k})`}>
          {visibleBodies.map((b) => (
            <g key={b.id} className="gbody" data-testid="graph-body" data-body={b.id}>
              <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={10} />
              {detailed && (
                <text x={b.x + 10} y={b.y + 21}>
                  {b.title}
                </text>
              )}
            </g>
          ))}
          {visibleEdges.map((e) => {
            const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')
            const mid = e.points[Math.floor(e.points.length / 2)]
            return (
              <g key={`${e.edge.from}>${e.edge.to}`} className="gedge">
                <path d={d} markerEnd="url(#graph-arrow)" />
                {labelled && mid && (
                  <text x={mid.x + 4} y={mid.y - 3} className="gedge-label">
                    {edgeLabel(e.edge.tensor)}
                  </text>
                )}
              </g>
            )
          })}
          {visibleNodes.map((n) => {
            const mark = marks.get(n.node.id)
            const isBlock = n.node.kind === 'block'
            return (
              <g
                key={n.node.id}
                className={nodeClass(n)}
                data-testid={isBlock ? 'graph-block' : 'graph-node'}
                data-node-id={n.node.id}
                data-op={n.node.title}
                data-name={n.node.subtitle}
                data-tone={mark?.tone ?? ''}
                onClick={() => (isBlock ? props.onToggleBlock(n.node.id) : props.onSelect(n.node.id))}
                onDoubleClick={() => n.node.expandable && props.onToggleNode(n.node.id)}
              >
                <rect x={n.x} y={n.y} width={n.width} height={n.node.bodies ? 30 : n.height} rx={isBlock ? 10 : 6} className="gnode-box" />
                {n.node.bodies && <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={6} className="gnode-frame" />}
                {detailed && (
                  <>
                    <text x={n.x + 8} y={n.y + 15} className="gnode-title">
                      {n.node.title.length > 30 ? `${n.node.title.slice(0, 29)}…` : n.node.title}
                    </text>
                    {!n.node.bodies && (
                      <text x={n.x + 8} y={n.y + 30} className="gnode-sub">
                        {n.node.subtitle.length > 30 ? `…${n.node.subtitle.slice(-29)}` : n.node.subtitle}
                      </text>
                    )}
                    {mark?.badge && (
                      <text x={n.x + n.width - 6} y={n.y + 15} className="gnode-badge" textAnchor="end">
                        {mark.badge}
                      </text>
                    )}
                  </>
                )}
                {n.node.expandable && (
                  <g
                    className="gnode-toggle"
                    data-testid="open-subgraph"
                    onClick={(event) => {
                      event.stopPropagation()
                      props.onToggleNode(n.node.id)
                    }}
                  >
                    <title>{n.node.bodies ? 'Close the branches' : 'Open the branches in place'}</title>
                    <rect x={n.x + n.width - 22} y={n.y + 18} width={18} height={16} rx={3} />
                    <text x={n.x + n.width - 13} y={n.y + 30} textAnchor="middle">
                      {n.node.bodies ? '−' : '+'}
                    </text>
                  </g>
                )}
              </g>
            )
          })}
        </g>
      </svg>
      <div className="graph-zoom">
        <button type="button" className="button small" aria-label="zoom in" data-testid="zoom-in" onClick={() => zoomAt(1.25, size.width / 2, size.height / 2)}>
          +
        </button>
        <button type="button" className="button small" aria-label="zoom out" data-testid="zoom-out" onClick={() => zoomAt(0.8, size.width / 2, size.height / 2)}>
          −
        </button>
        <button
          type="button"
          className="button small"
          data-testid="zoom-fit"
          onClick={() => {
            const k = clampK(Math.min((size.width - 20) / layout.width, (size.height - 20) / layout.height))
            setT({ k, x: (size.width - layout.width * k) / 2, y: 10 })
          }}
        >
          Fit
        </button>
      </div>
    </div>
  )
}
