// Deleting a model takes every variant made from it (its descendants by lineage), each with its folder: files
// and stored results. The plan says what goes before anything does, so that a confirmation can list it.
// Deployments are not touched: publishing pushed the bytes to the target, which serves (and rolls back)
// from its own copy, so the plan names them as staying rather than refusing the deletion.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { DeletionPlan, ModelEntry, ModelId } from '../../../preload/api'
import { reportsOf } from '../../../preload/reports'
import type { Workspace } from './workspace'

/** The model and its descendants, parents before children. */
async function withVariants(workspace: Workspace, id: ModelId): Promise<ModelEntry[]> {
  const models = await workspace.list()
  const root = models.find((model) => model.id === id) ?? (await workspace.get(id))
  const tree = [root]
  // Breadth first over the lineage; each model is visited once, so a malformed cycle cannot loop.
  for (let i = 0; i < tree.length; i++) {
    const parentId = (tree[i] as ModelEntry).id
    tree.push(...models.filter((model) => model.lineage?.parentId === parentId && !tree.includes(model)))
  }
  return tree
}

export async function planDeletion(workspace: Workspace, id: ModelId): Promise<DeletionPlan> {
  const models = await withVariants(workspace, id)
  const results = await Promise.all(models.map((model) => workspace.listResults(model.id)))
  const sizes = await Promise.all(models.map((model) => folderBytes(workspace.folderOf(model.id))))
  return {
    models: models.map((model) => ({ id: model.id, name: model.name })),
    results: results.reduce((sum, list) => sum + list.length, 0),
    sizeBytes: sizes.reduce((sum, bytes) => sum + bytes, 0),
    published: results.flatMap((list) => reportsOf(list, 'publish').map((record) => ({ target: record.target, model: record.model, version: record.version }))),
  }
}

/** Removes the model and its variants, children first: a crash midway leaves no variant without its parent. */
export async function deleteWithVariants(workspace: Workspace, id: ModelId): Promise<void> {
  const models = await withVariants(workspace, id)
  for (const model of models.reverse()) await workspace.remove(model.id)
}

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const sizes = await Promise.all(entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(join(entry.parentPath, entry.name))).size))
  return sizes.reduce((sum, size) => sum + size, 0)
}
