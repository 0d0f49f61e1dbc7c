// Search in a model's graph: nodes whose name or op contains the text, then nodes that read or write a
// tensor whose name contains it (subgraph nodes included), exact name matches first.
import type { GraphNode, ModelGraph } from '../../preload/api'
import { allNodes } from './overlays'

export interface SearchHit {
  readonly node: GraphNode
  /** The tensor that matched, when the node matched through one. */
  readonly tensor?: string
}

export function searchGraph(graph: ModelGraph, query: string, limit: number): SearchHit[] {
  const q = query.trim().toLowerCase()
  if (!q) return []
  const exact: SearchHit[] = []
  const byNode: SearchHit[] = []
  const byTensor: SearchHit[] = []
  for (const node of allNodes(graph.main)) {
    const name = node.name.toLowerCase()
    if (name === q) exact.push({ node })
    else if (name.includes(q) || node.op.toLowerCase().includes(q)) byNode.push({ node })
    else {
      const tensor = [...node.outputs, ...node.inputs].find((t) => t.toLowerCase().includes(q))
      if (tensor !== undefined) byTensor.push({ node, tensor })
    }
    if (exact.length >= limit) break
  }
  return [...exact, ...byNode, ...byTensor].slice(0, limit)
}
