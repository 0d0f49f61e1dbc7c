// An error or warning as the UI shows it: one line, and the details (node lists, ONNX Runtime's own
// text) behind a disclosure that stays closed until asked.
import type { ErrorInfo } from '../../preload/api'
import { uiMessage } from './problem-text'

export function MessageText({ info, prefix = '' }: { info: ErrorInfo; prefix?: string }): React.JSX.Element {
  const { line, details } = uiMessage(info)
  return (
    <div className="message-text" data-testid="message-text">
      <div className="message-line" data-testid="message-line">
        {prefix}
        {line}
      </div>
      {details.length > 0 && (
        <details className="message-details" data-testid="message-details">
          <summary>Details</summary>
          <ul>
            {details.map((detail, i) => (
              <li key={i}>{detail}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}
