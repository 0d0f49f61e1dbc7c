// The Graph tab: the model's graph laid out off the UI thread, searchable, with a node panel and switchable
// overlays (quantization, pruning, diff against the parent, and time when a profile is stored with the
// model). Big models open with their blocks closed, and a note says so.
import { useEffect, useMemo, useState } from 'react'
import type { GraphNode, ModelEntry, ModelGraph, RecipeSummary, StoredResult } from '../../../preload/api'
import { allNodes, diffOverlay, pruningOverlay, quantizationOverlay, timeOverlay, type Overlay, type OverlayKind } from '../../graph/overlays'
import { searchGraph } from '../../graph/search'
import { useLayout } from '../../graph/use-layout'
import { blocksOf, graphView, isBlockOpen, OPEN_ALL_LIMIT } from '../../graph/view-model'
import { MessageText } from '../../messages/MessageText'
import { useAppStore } from '../../store/store-context'
import { GraphCanvas, type GraphCanvasProps } from './GraphCanvas'
import { NodePanel } from './NodePanel'

const EMPTY: ReadonlySet<string> = new Set()
const NO_MARKS: Overlay = { kind: 'none', marks: new Map(), legend: [] }

/**
 * Per-node times of the latest stored profile (by node name), when the model has one. The profile result
 * (`kind: 'profile'`, nodes with name and meanMs) is made by the profile job.
 */
function latestProfileTimes(results: readonly StoredResult[] | undefined): Map<string, number> | undefined {
  const profile = [...(results ?? [])]
    .reverse()
    .map((r) => r.value as { kind?: string; nodes?: readonly { name: string; meanMs: number; runtimeOnly?: boolean }[] })
    .find((v) => v.kind === 'profile' && Array.isArray(v.nodes))
  return profile ? new Map(profile.nodes?.filter((n) => !n.runtimeOnly).map((n) => [n.name, n.meanMs])) : undefined
}

export function GraphTab({ model }: { model: ModelEntry }): React.JSX.Element {
  const parentId = model.lineage?.parentId
  const parentEntry = useAppStore((state) => state.models.find((m) => m.id === parentId))
  const load = useAppStore((state) => state.graphs[model.id])
  const parentLoad = useAppStore((state) => (parentId ? state.graphs[parentId] : undefined))
  const loadGraph = useAppStore((state) => state.loadGraph)
  const loadResults = useAppStore((state) => state.loadResults)
  const results = useAppStore((state) => state.results[model.id])
  const [overlayKind, setOverlayKind] = useState<OverlayKind>('none')
  useEffect(() => {
    void loadGraph(model.id)
    void loadResults([model.id])
  }, [loadGraph, loadResults, model.id])
  useEffect(() => {
    if (overlayKind === 'diff' && parentEntry) void loadGraph(parentEntry.id)
  }, [loadGraph, overlayKind, parentEntry])

  if (!load || load.state === 'loading') return <p className="muted" data-testid="graph-loading">Reading the graph…</p>
  if (load.state === 'failed')
    return (
      <div className="error-text" data-testid="graph-error">
        <MessageText info={load.error} prefix="The graph could not be read: " />
      </div>
    )
  const parentGraph = parentLoad?.state === 'ready' ? parentLoad.graph : undefined
  return (
    <GraphView
      key={overlayKind === 'diff' ? 'diff' : 'own'}
      model={model}
      graph={load.graph}
      parentGraph={parentEntry ? parentGraph : undefined}
      hasParent={parentEntry !== undefined}
      times={latestProfileTimes(results)}
      overlayKind={overlayKind}
      setOverlayKind={setOverlayKind}
    />
  )
}

interface GraphViewProps {
  readonly model: ModelEntry
  readonly graph: ModelGraph
  readonly parentGraph: ModelGraph | undefined
  readonly hasParent: boolean
  readonly times: ReadonlyMap<string, number> | undefined
  readonly overlayKind: OverlayKind
  setOverlayKind(kind: OverlayKind): void
}

function GraphView(props: GraphViewProps): React.JSX.Element {
  const { model, overlayKind, times } = props
  const summary = model.lineage?.summary as Partial<RecipeSummary> | undefined
  // A prune job stores its summary inside the job's result ({ summary, check, sizes, notes }).
  const pruneSummary = ((model.lineage?.summary as { summary?: unknown } | undefined)?.summary ?? model.lineage?.summary) as Parameters<typeof pruningOverlay>[1]
  const diff = useMemo(() => (overlayKind === 'diff' && props.parentGraph ? diffOverlay(props.graph, props.parentGraph) : undefined), [overlayKind, props.graph, props.parentGraph])
  const graph = diff?.graph ?? props.graph
  const overlay = useMemo((): Overlay => {
    if (overlayKind === 'quantization') return quantizationOverlay(graph, summary)
    if (overlayKind === 'pruning') return pruningOverlay(graph, pruneSummary)
    if (overlayKind === 'time' && times) return timeOverlay(graph, times)
    return diff?.overlay ?? NO_MARKS
  }, [overlayKind, graph, summary, pruneSummary, times, diff])
  const [toggledBlocks, setToggledBlocks] = useState<ReadonlySet<string>>(EMPTY)
  const [openNodes, setOpenNodes] = useState<ReadonlySet<string>>(EMPTY)
  const [selected, setSelected] = useState<string | null>(null)
  const [focus, setFocus] = useState<GraphCanvasProps['focus']>(null)
  const [query, setQuery] = useState('')
  const view = useMemo(() => graphView(graph, { toggledBlocks, openNodes }), [graph, toggledBlocks, openNodes])
  const laid = useLayout(view)
  const nodesById = useMemo(() => new Map(allNodes(graph.main).map((n) => [n.id, n])), [graph])
  const blockOf = useMemo(() => new Map(blocksOf(graph).flatMap((b) => b.nodes.map((n) => [n.id, b.id] as const))), [graph])
  const hits = useMemo(() => (query.trim() ? searchGraph(graph, query, 30) : []), [graph, query])
  const big = graph.nodeCount > OPEN_ALL_LIMIT
  const toggle = (set: ReadonlySet<string>, id: string): ReadonlySet<string> => {
    const next = new Set(set)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    return next
  }

  const reveal = (node: GraphNode): void => {
    const parts = node.id.split('/')
    const top = parts[0] ?? node.id
    const block = blockOf.get(top)
    if (block && !isBlockOpen(graph, block, { toggledBlocks, openNodes })) setToggledBlocks(toggle(toggledBlocks, block))
    // Open every If/Loop/Scan node on the way down ('12/then_branch/3/body/1' opens 12 and 12/then_branch/3).
    const ancestors: string[] = []
    for (let i = 2; i < parts.length; i += 2) ancestors.push(parts.slice(0, i - 1).join('/'))
    if (ancestors.some((a) => !openNodes.has(a))) setOpenNodes(new Set([...openNodes, ...ancestors]))
    setSelected(node.id)
    setFocus((prev) => ({ id: node.id, n: (prev?.n ?? 0) + 1 }))
  }

  const selectedNode = selected ? nodesById.get(selected) : undefined
  const edgeLabel = (tensor: string): string => {
    const t = graph.tensors[tensor]
    return t?.shape ? `${t.dtype}[${t.shape.join('×')}]` : t?.dtype ?? ''
  }
  const kinds: { kind: OverlayKind; label: string; enabled: boolean }[] = [
    { kind: 'none', label: 'Plain', enabled: true },
    { kind: 'quantization', label: 'Quantization', enabled: true },
    { kind: 'pruning', label: 'Pruning', enabled: pruneSummary?.layers !== undefined },
    { kind: 'diff', label: 'Diff vs parent', enabled: props.hasParent },
    { kind: 'time', label: 'Time', enabled: times !== undefined },
  ]
  return (
    <div className="graph-tab" data-testid="graph-tab" data-node-count={graph.nodeCount}>
      <div className="graph-toolbar">
        <div className="graph-search">
          <input
            type="search"
            placeholder="Search nodes and tensors"
            aria-label="search nodes and tensors"
            data-testid="graph-search"
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
          {hits.length > 0 && (
            <ul className="graph-hits" data-testid="graph-search-results">
              {hits.map((hit) => (
                <li key={hit.node.id}>
                  <button
                    type="button"
                    data-testid="graph-search-result"
                    onClick={() => {
                      reveal(hit.node)
                      setQuery('')
                    }}
                  >
                    <strong>{hit.node.op}</strong> <span className="mono">{hit.node.name || hit.node.id}</span>
                    {hit.tensor && <span className="muted"> · tensor {hit.tensor}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="segmented" role="radiogroup" aria-label="overlay">
          {kinds
            .filter((k) => k.enabled)
            .map((k) => (
              <button
                key={k.kind}
                type="button"
                role="radio"
                aria-checked={overlayKind === k.kind}
                className={`segment${overlayKind === k.kind ? ' active' : ''}`}
                data-testid={`overlay-${k.kind}`}
                onClick={() => props.setOverlayKind(k.kind)}
              >
                {k.label}
              </button>
            ))}
        </div>
        <span className="muted small" data-testid="graph-status" data-layout-state={laid.state} data-layout-ms={laid.state === 'ready' ? Math.round(laid.ms) : ''}>
          {graph.nodeCount.toLocaleString('en-US')} nodes
          {laid.state === 'ready' ? ` · laid out in ${Math.round(laid.ms)} ms${laid.inPage ? ' (in the page: the layout worker did not start)' : ''}` : laid.state === 'working' ? ' · laying out…' : ''}
        </span>
      </div>
      {big && (
        <p className="note" data-testid="graph-collapsed-note">
          This model has {graph.nodeCount.toLocaleString('en-US')} nodes: it opens in {view.blocks.length} closed blocks, by name scope and position. Click a block to open it, or
          search for a node.
        </p>
      )}
      {overlayKind === 'diff' && !props.parentGraph && <p className="muted">Reading the parent's graph…</p>}
      {overlay.legend.length > 0 && (
        <div className="graph-legend" data-testid="graph-legend">
          {overlay.legend.map((l) => (
            <span key={l.tone} className={`legend-item ${l.tone}`}>
              <i /> {l.label}
            </span>
          ))}
          {overlay.note && <span className="muted small">{overlay.note}</span>}
        </div>
      )}
      <div className="graph-main">
        {laid.state === 'failed' ? (
          <p className="error-text">The layout failed: {laid.error}</p>
        ) : laid.state === 'working' ? (
          <p className="muted" data-testid="graph-laying-out">
            Laying out {graph.nodeCount.toLocaleString('en-US')} nodes…
          </p>
        ) : (
          <GraphCanvas
            layout={laid.layout}
            marks={overlay.marks}
            selected={selected}
            focus={focus}
            edgeLabel={edgeLabel}
            onSelect={setSelected}
            onToggleBlock={(id) => setToggledBlocks(toggle(toggledBlocks, id))}
            onToggleNode={(id) => {
              // Opened bodies can push the node out of view: the first node of its first body is brought
              // into view once the new layout (the only one holding it) arrives.
              const first = nodesById.get(id)?.subgraphs?.[0]?.nodes[0]
              if (!openNodes.has(id) && first) setFocus((prev) => ({ id: first.id, n: (prev?.n ?? 0) + 1 }))
              setOpenNodes(toggle(openNodes, id))
            }}
          />
        )}
        {selectedNode && (
          <NodePanel
            node={selectedNode}
            graph={graph}
            mark={overlay.marks.get(selectedNode.id)}
            model={model}
            quantOverlay={overlayKind === 'quantization'}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
    </div>
  )
}
