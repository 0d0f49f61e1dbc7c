// What a publish gives back: the version, where it serves, how the smoke test went, and examples to paste.
import { useState } from 'react'
import type { PublishResult } from '../../../preload/api'

function CopyBlock({ label, text, testId }: { label: string; text: string; testId: string }): React.JSX.Element {
  const [copied, setCopied] = useState(false)
  const copy = (): void => {
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    })
  }
  return (
    <div className="copy-block">
      <div className="panel-head">
        <span className="field-label">{label}</span>
        <button type="button" className="button small" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre data-testid={testId}>{text}</pre>
    </div>
  )
}

export function PublishResultView({ result }: { result: PublishResult }): React.JSX.Element {
  return (
    <div className="publish-result" data-testid="publish-result" data-version={result.version}>
      <p>
        <strong>{result.model}</strong> version <strong data-testid="publish-version">{result.version}</strong> is live on {result.target}
      </p>
      {result.endpoint && (
        <p>
          Endpoint: <code data-testid="publish-endpoint">{result.endpoint}</code>
        </p>
      )}
      {result.outDir && (
        <p>
          Written to <code>{result.outDir}</code> (see its README.md)
        </p>
      )}
      {result.smoke && (
        <p className="field-help" data-testid="publish-smoke">
          Smoke test: {result.smoke.rows} rows of {result.smoke.inputs}; outputs within {result.smoke.maxAbsDiff.toExponential(2)} of the local run.
          {result.attempts && result.attempts > 1 ? ` Upload took ${result.attempts} tries (the connection dropped).` : ''}
        </p>
      )}
      <CopyBlock label="curl" text={result.examples.curl} testId="example-curl" />
      <CopyBlock label="Python (tritonclient)" text={result.examples.python} testId="example-python" />
      <CopyBlock label="JavaScript (fetch)" text={result.examples.javascript} testId="example-js" />
    </div>
  )
}
