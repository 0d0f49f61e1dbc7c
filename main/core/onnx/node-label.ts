// How a node is named to people, once for every recipe: `nodeName` is what summaries list and what
// --exclude-nodes matches (its name, or its op and first output when it has none); `nodeLabel` is the node
// inside a sentence ("Conv 'conv1'").
import type { NodeProto } from './onnx-types'

export function nodeName(node: NodeProto): string {
  return node.name || `${node.opType}(${node.output?.[0] ?? ''})`
}

export function nodeLabel(node: NodeProto): string {
  return `${node.opType ?? '?'} '${node.name || node.output?.[0] || '?'}'`
}
