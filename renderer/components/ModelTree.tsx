// Models and their variants as a lineage tree: parent → recipe → variant.
import { useMemo } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ModelEntry } from '../../preload/api'
import { formatBytes } from '../format'
import { useAppStore } from '../store/store-context'

interface TreeNode {
  readonly model: ModelEntry
  readonly children: TreeNode[]
}

export function buildLineageTree(models: readonly ModelEntry[]): TreeNode[] {
  const nodes = new Map(models.map((model) => [model.id, { model, children: [] as TreeNode[] }]))
  const roots: TreeNode[] = []
  for (const node of nodes.values()) {
    const parent = node.model.lineage ? nodes.get(node.model.lineage.parentId) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

function TreeItem({ node, depth }: { node: TreeNode; depth: number }): React.JSX.Element {
  const selected = useAppStore((state) => state.selectedId === node.model.id)
  const select = useAppStore((state) => state.select)
  const { model } = node
  return (
    <li>
      <button
        type="button"
        className={`tree-item${selected ? ' selected' : ''}`}
        style={{ paddingLeft: 12 + depth * 16 }}
        data-testid="model-item"
        data-model-name={model.name}
        aria-current={selected}
        onClick={() => select(model.id)}
      >
        {model.lineage && <span className="tree-recipe">{model.lineage.recipe}</span>}
        <span className="tree-name">{model.name}</span>
        <span className="tree-meta">
          {model.format === 'onnx' ? 'ONNX' : 'TF.js'} · {formatBytes(model.sizeBytes)}
        </span>
      </button>
      {node.children.length > 0 && (
        <ul className="tree">
          {node.children.map((child) => (
            <TreeItem key={child.model.id} node={child} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  )
}

export function ModelTree(): React.JSX.Element {
  const models = useAppStore(useShallow((state) => state.models))
  const roots = useMemo(() => buildLineageTree(models), [models])
  if (roots.length === 0) return <p className="sidebar-empty">No models yet.</p>
  return (
    <ul className="tree" data-testid="model-list">
      {roots.map((node) => (
        <TreeItem key={node.model.id} node={node} depth={0} />
      ))}
    </ul>
  )
}
