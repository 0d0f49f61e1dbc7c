// A modal dialog. The native <dialog> opened with showModal() gives the backdrop, makes the page behind it
// inert and turns Escape into a cancel event; Tab wraps around inside it (the browser would let focus leave
// for its own toolbar), and a click on the backdrop closes it too. Mount it to open it: the caller keeps
// whether it is open, and onClose is the one way out.
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

const FOCUSABLE = 'button, [href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'

/** Tab from the last control goes to the first, Shift+Tab from the first to the last. */
function wrapFocus(event: React.KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.matches(':disabled') && el.checkVisibility())
  const first = controls[0]
  const last = controls.at(-1)
  if (!first || !last) return
  const active = document.activeElement
  if (event.shiftKey && (active === first || !event.currentTarget.contains(active))) {
    event.preventDefault()
    last.focus()
  } else if (!event.shiftKey && active === last) {
    event.preventDefault()
    first.focus()
  }
}

export function Dialog({ title, onClose, children, actions, size, testId }: DialogProps): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return undefined
    // Focus goes back where it was (the button that opened it) when the dialog goes.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    return () => {
      dialog.close()
      opener?.focus()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      className={`dialog${size ? ` dialog-${size}` : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onKeyDown={wrapFocus}
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
