import { describe, expect, it } from 'vitest'
import type { ModelEntry } from '../../preload/api'
import { descendantsOf, rootOf } from './family'

const m = (id: string, parentId?: string): ModelEntry =>
  ({ id, name: id, ...(parentId ? { lineage: { parentId, recipe: 'r', params: {}, createdAt: '', durationMs: 0 } } : {}) }) as ModelEntry

describe('family', () => {
  const models = [m('a'), m('b', 'a'), m('c', 'b'), m('d'), m('e', 'a'), m('orphan', 'gone')]
  it('finds the root through any depth, and a model whose parent was deleted is its own root', () => {
    expect(rootOf(models, 'c')?.id).toBe('a')
    expect(rootOf(models, 'orphan')?.id).toBe('orphan')
  })
  it('lists descendants at any depth in workspace order', () => {
    expect(descendantsOf(models, 'a').map((x) => x.id)).toEqual(['b', 'c', 'e'])
    expect(descendantsOf(models, 'd')).toEqual([])
  })
})
