import { useAppStore } from '../store/store-context'

export function NoticeBanner(): React.JSX.Element | null {
  const notice = useAppStore((state) => state.notice)
  const dismiss = useAppStore((state) => state.dismissNotice)
  if (!notice) return null
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${notice.kind}`}>
      <span className="notice-message">{notice.message}</span>
      <button type="button" className="button ghost" onClick={dismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  )
}
