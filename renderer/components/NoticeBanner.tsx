import { useEffect } from 'react'
import { MessageText } from '../messages/MessageText'
import { useAppStore } from '../store/store-context'

const INFO_SECONDS = 5

export function NoticeBanner(): React.JSX.Element | null {
  const notice = useAppStore((state) => state.notice)
  const dismiss = useAppStore((state) => state.dismissNotice)
  // Confirmations go away by themselves; errors stay until the user dismisses them.
  useEffect(() => {
    if (notice?.kind !== 'info') return undefined
    const timer = setTimeout(dismiss, INFO_SECONDS * 1000)
    return () => clearTimeout(timer)
  }, [notice, dismiss])
  if (!notice) return null
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${notice.kind}`}>
      <div className="notice-message">{notice.kind === 'error' ? <MessageText info={notice.error} /> : notice.message}</div>
      <button type="button" className="button ghost" onClick={dismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  )
}
