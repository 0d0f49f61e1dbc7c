// A modal dialog. The native <dialog> opened with showModal() gives the backdrop, makes the page behind it
// inert (keyboard focus stays inside) and turns Escape into a cancel event; a click on the backdrop closes it
// too. Mount it to open it: the caller keeps whether it is open, and onClose is the one way out.
import { useEffect, useId, useRef } from 'react'

export interface DialogProps {
  readonly title: string
  readonly onClose: () => void
  readonly children: React.ReactNode
  /** Buttons at the foot of the dialog (the primary one last). */
  readonly actions?: React.ReactNode
  readonly size?: 'small' | 'wide'
  readonly testId?: string
}

export function Dialog({ title, onClose, children, actions, size, testId }: DialogProps): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return undefined
    if (!dialog.open) dialog.showModal()
    return () => dialog.close()
  }, [])
  return (
    <dialog
      ref={ref}
      className={`dialog${size ? ` dialog-${size}` : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        // Escape: the page unmounts the dialog, so the element itself never closes under React's feet.
        event.preventDefault()
        onClose()
      }}
      onClick={(event) => {
        // The dialog's own box is filled by .dialog-frame, so a click on the element itself is on the backdrop.
        if (event.target === event.currentTarget) onClose()
      }}
    >
      <div className="dialog-frame">
        <header className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="button ghost icon" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {actions && <footer className="dialog-actions">{actions}</footer>}
      </div>
    </dialog>
  )
}
