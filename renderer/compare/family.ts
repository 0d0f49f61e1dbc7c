// A model's family in the lineage: its root (the baseline a comparison is made against) and descendants.
import type { ModelEntry, ModelId } from '../../preload/api'

export function rootOf(models: readonly ModelEntry[], id: ModelId): ModelEntry | undefined {
  const byId = new Map(models.map((m) => [m.id, m]))
  let current = byId.get(id)
  const seen = new Set<ModelId>()
  while (current?.lineage && byId.has(current.lineage.parentId) && !seen.has(current.id)) {
    seen.add(current.id)
    current = byId.get(current.lineage.parentId)
  }
  return current
}

/** Every model made from this one, at any depth, in workspace order. */
export function descendantsOf(models: readonly ModelEntry[], id: ModelId): ModelEntry[] {
  const ids = new Set([id])
  let grew = true
  while (grew) {
    grew = false
    for (const m of models)
      if (m.lineage && ids.has(m.lineage.parentId) && !ids.has(m.id)) {
        ids.add(m.id)
        grew = true
      }
  }
  return models.filter((m) => m.id !== id && ids.has(m.id))
}
