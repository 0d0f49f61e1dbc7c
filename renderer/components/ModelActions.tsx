// Rename… and Delete… on a model's page. Renaming changes the name shown (the id, files and lineage stay);
// deleting asks first, listing what goes with the model: its variants, their stored results and bytes.
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import type { DeletionPlan, ModelEntry } from '../../preload/api'
import { formatBytes } from '../format'
import { useAppStore } from '../store/store-context'
import { Dialog } from './Dialog'

function RenameDialog({ model, onClose }: { model: ModelEntry; onClose: () => void }): React.JSX.Element {
  const rename = useAppStore((state) => state.renameModel)
  const [name, setName] = useState(model.name)
  const [saving, setSaving] = useState(false)
  const inputId = useId()
  const formId = useId()
  const input = useRef<HTMLInputElement>(null)
  // After Dialog's own effect (a child's runs first) has opened it, which focuses its first button.
  useEffect(() => input.current?.select(), [])
  const unchanged = name.trim() === '' || name.trim() === model.name
  async function save(): Promise<void> {
    setSaving(true)
    const renamed = await rename(model.id, name.trim())
    setSaving(false)
    if (renamed) onClose()
  }
  return (
    <Dialog
      title={`Rename ${model.name}`}
      onClose={onClose}
      size="small"
      testId="rename-dialog"
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button primary" data-testid="rename-save" disabled={unchanged || saving}>
            Rename
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="field"
        onSubmit={(event) => {
          event.preventDefault()
          if (!unchanged) void save()
        }}
      >
        <label className="field-label" htmlFor={inputId}>
          Name
        </label>
        <input ref={input} id={inputId} data-testid="rename-input" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
        <span className="field-help">Only the name shown changes; results, lineage and deployments stay as they are.</span>
      </form>
    </Dialog>
  )
}

function plural(count: number, one: string, many: string = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

function DeletionList({ plan }: { plan: DeletionPlan }): React.JSX.Element {
  const variants = plan.models.slice(1)
  return (
    <>
      <p>This removes from the workspace, for good:</p>
      <ul className="deletion-list" data-testid="delete-what">
        <li>
          the model <strong>{plan.models[0]?.name}</strong>
        </li>
        {variants.length > 0 && (
          <li data-testid="delete-variants">
            {plural(variants.length, 'variant')} made from it: {variants.map((v) => v.name).join(', ')}
          </li>
        )}
        <li data-testid="delete-results">{plural(plan.results, 'stored result')} (benchmarks, comparisons, profiles, searches, publish records)</li>
        <li data-testid="delete-size">{formatBytes(plan.sizeBytes)} on disk</li>
      </ul>
      {plan.published.length > 0 && (
        <p data-testid="delete-published">
          Published versions stay deployed, since each target keeps its own copy:{' '}
          {plan.published.map((p) => `${p.model} version ${p.version} on ${p.target}`).join(', ')}.
        </p>
      )}
    </>
  )
}

function DeleteDialog({ model, onClose }: { model: ModelEntry; onClose: () => void }): React.JSX.Element {
  const planDeletion = useAppStore((state) => state.planDeletion)
  const remove = useAppStore((state) => state.deleteModel)
  const [plan, setPlan] = useState<DeletionPlan | null>(null)
  const [deleting, setDeleting] = useState(false)
  useEffect(() => {
    let current = true
    void planDeletion(model.id).then((found) => {
      if (!current) return
      if (found) setPlan(found)
      else onClose()
    })
    return () => {
      current = false
    }
  }, [model.id, planDeletion, onClose])
  const variants = plan ? plan.models.length - 1 : 0
  async function confirm(): Promise<void> {
    setDeleting(true)
    // Closed either way: on success the page moves to another model, on failure the notice says why.
    await remove(model.id)
    onClose()
  }
  return (
    <Dialog
      title={`Delete ${model.name}?`}
      onClose={onClose}
      testId="delete-dialog"
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button danger primary" data-testid="delete-confirm" disabled={!plan || deleting} onClick={() => void confirm()}>
            {variants > 0 ? `Delete with ${plural(variants, 'variant')}` : 'Delete'}
          </button>
        </>
      }
    >
      {plan ? <DeletionList plan={plan} /> : <p className="field-help">Working out what goes with it…</p>}
    </Dialog>
  )
}

export function ModelActions({ model }: { model: ModelEntry }): React.JSX.Element {
  const [open, setOpen] = useState<'rename' | 'delete' | null>(null)
  // Stable, so the deletion plan is fetched once per opening, not at every render.
  const close = useCallback(() => setOpen(null), [])
  return (
    <>
      <button type="button" className="button" data-testid="model-rename" onClick={() => setOpen('rename')}>
        Rename…
      </button>
      <button type="button" className="button danger" data-testid="model-delete" onClick={() => setOpen('delete')}>
        Delete…
      </button>
      {open === 'rename' && <RenameDialog model={model} onClose={close} />}
      {open === 'delete' && <DeleteDialog model={model} onClose={close} />}
    </>
  )
}
