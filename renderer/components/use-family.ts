// The ids of a model's family (its root first, then every descendant), compared by content: a refreshed
// model list with the same family gives the same array, so effects keyed on it (loading results) do not rerun.
import { useShallow } from 'zustand/react/shallow'
import type { ModelId } from '../../preload/api'
import { descendantsOf } from '../compare/family'
import { useAppStore } from '../store/store-context'

export function useFamilyIds(rootId: ModelId): readonly ModelId[] {
  return useAppStore(useShallow((state) => [rootId, ...descendantsOf(state.models, rootId).map((m) => m.id)]))
}
