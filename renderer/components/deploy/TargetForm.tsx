// Adding a deployment target. The token is typed (or pasted) here once and goes to the engine, which keeps
// it in the OS keychain (desktop) or a file only the user can read; it is never shown again.
import { useState } from 'react'
import type { TargetKind } from '../../../preload/api'
import { useAppStore } from '../../store/store-context'

export function TargetForm({ onDone }: { onDone?: () => void }): React.JSX.Element {
  const addTarget = useAppStore((state) => state.addTarget)
  const [name, setName] = useState('')
  const [kind, setKind] = useState<TargetKind>('slipway')
  const [url, setUrl] = useState('')
  const [dir, setDir] = useState('')
  const [format, setFormat] = useState<'triton' | 'kserve'>('triton')
  const [token, setToken] = useState('')
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    const ok = await addTarget({
      name,
      kind,
      ...(kind === 'folder' ? { dir, format } : { url }),
      ...(token && kind !== 'folder' ? { token } : {}),
    })
    if (ok) {
      setToken('')
      onDone?.()
    }
  }
  return (
    <form className="target-form" onSubmit={(event) => void submit(event)} data-testid="target-form">
      <label className="field">
        <span className="field-label">Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="target-name" required />
      </label>
      <label className="field">
        <span className="field-label">Kind</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as TargetKind)} data-testid="target-kind">
          <option value="slipway">Slipway server</option>
          <option value="triton">Triton (explicit model control)</option>
          <option value="folder">Folder export (Triton / KServe)</option>
        </select>
      </label>
      {kind === 'folder' ? (
        <>
          <label className="field">
            <span className="field-label">Folder</span>
            <input value={dir} onChange={(e) => setDir(e.target.value)} data-testid="target-dir" required />
          </label>
          <label className="field">
            <span className="field-label">Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as 'triton' | 'kserve')}>
              <option value="triton">Triton repository</option>
              <option value="kserve">Triton repository + KServe manifest</option>
            </select>
          </label>
        </>
      ) : (
        <>
          <label className="field">
            <span className="field-label">URL</span>
            <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://127.0.0.1:8000" data-testid="target-url" required />
          </label>
          <label className="field">
            <span className="field-label">Admin token</span>
            <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} data-testid="target-token" />
            <span className="field-help">Kept by the engine (keychain or a private file); never shown again.</span>
          </label>
        </>
      )}
      <button type="submit" className="button primary small" data-testid="target-add">
        Add target
      </button>
    </form>
  )
}
