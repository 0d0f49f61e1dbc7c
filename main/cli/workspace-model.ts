// A workspace model named on the command line by its id or its (unique) name.
import type { ModelEntry } from '../../preload/api'
import { UserError } from '../core/errors'

export function findWorkspaceModel(models: readonly ModelEntry[], ref: string, workspaceDir: string): ModelEntry {
  const matches = models.filter((m) => m.id === ref || m.name === ref)
  if (matches.length !== 1)
    throw new UserError(matches.length === 0 ? `${ref}: no such file, and no model of that id or name in ${workspaceDir}` : `several models are named '${ref}': give its id`)
  return matches[0] as ModelEntry
}
