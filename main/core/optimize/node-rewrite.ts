// What the node rewrites (dynamic int8, static int8, int4, float16) take and give back alike: which nodes to
// touch, and the rewritten model with the nodes converted and the ones left as they were, with why (the
// summary's `converted` and `leftAsIs`).
import type { LeftAsIs, NodeSelection } from '../../../preload/api'
import type { ModelProto, NodeProto } from '../onnx/onnx-types'
import { nodeName } from '../onnx/node-label'

/** A NodeSelection as sets; absent or empty lists select every node. */
export interface NodeFilter {
  readonly opTypes?: ReadonlySet<string>
  readonly excludeNodes?: ReadonlySet<string>
}

export function nodeFilter(selection: NodeSelection): NodeFilter {
  const { opTypes, excludeNodes } = selection
  return {
    ...(opTypes?.length ? { opTypes: new Set(opTypes) } : {}),
    ...(excludeNodes?.length ? { excludeNodes: new Set(excludeNodes) } : {}),
  }
}

export function isSelected(filter: NodeFilter, node: NodeProto): boolean {
  return !filter.excludeNodes?.has(node.name ?? '') && (filter.opTypes?.has(node.opType ?? '') ?? true)
}

/** The entry for a node the filter leaves out, saying which option left it. */
export function leftOut(filter: NodeFilter, node: NodeProto): LeftAsIs {
  return {
    node: nodeName(node),
    op: node.opType ?? '',
    reason: filter.excludeNodes?.has(node.name ?? '') ? 'excluded by the recipe' : 'op type not selected by the recipe',
  }
}

export interface RewriteResult {
  readonly model: ModelProto
  /** Nodes the rewrite changed (quantized, or their weights stored as float16). */
  readonly converted: readonly NodeProto[]
  readonly leftAsIs: readonly LeftAsIs[]
}
