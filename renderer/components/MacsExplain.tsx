// Why the Overview's MACs say "n/a", and a form to try sizes for the dims that are dynamic: the engine
// estimates MACs per sample with them (a dynamic batch is taken as 1).
import { useMemo, useState } from 'react'
import type { Inspection, ModelEntry } from '../../preload/api'
import { formatCount } from '../format'
import { MessageText } from '../messages/MessageText'
import { shapesWithSizes, sizeDims, sizeKey } from '../overview/macs-dims'
import { useAppStore } from '../store/store-context'

function stoppedAt(where: string): string {
  return where.startsWith('the body of ')
    ? `Compute inside ${where} runs a number of times known only at run time, so it is not counted.`
    : `The shapes could not be followed up to ${where}: an operator before it sizes its output from values known only at run time.`
}

function why(model: ModelEntry, inspection: Inspection, dims: number): string {
  if (model.format === 'tfjs-graph') return 'MACs are not estimated for TF.js graph models.'
  if (dims > 0) return 'MACs per sample need the size of every dimension; these are dynamic (a dynamic batch is taken as 1). Give sizes to estimate them.'
  return inspection.macsUnknownAt ? stoppedAt(inspection.macsUnknownAt) : 'The shapes of the compute operators could not be worked out.'
}

export function MacsExplain({ model, inspection }: { model: ModelEntry; inspection: Inspection }): React.JSX.Element {
  const dims = useMemo(() => sizeDims(inspection.inputs, model.inputSpec), [inspection.inputs, model.inputSpec])
  const [sizes, setSizes] = useState<Record<string, string>>(() =>
    Object.fromEntries(dims.map((d) => [sizeKey(d.input, d.index), d.initial === undefined ? '' : String(d.initial)])),
  )
  const tried = useAppStore((s) => s.macsTries[model.id])
  const tryMacs = useAppStore((s) => s.tryMacs)
  const values = Object.fromEntries(Object.entries(sizes).map(([key, text]) => [key, Number(text)]))
  const complete = dims.every((d) => Number.isInteger(values[sizeKey(d.input, d.index)]) && (values[sizeKey(d.input, d.index)] ?? 0) > 0)
  const canTry = model.format === 'onnx' && dims.length > 0

  return (
    <section className="panel macs-explain" aria-label="Why MACs show n/a" data-testid="macs-explain">
      <p className="macs-why">{why(model, inspection, canTry ? dims.length : 0)}</p>
      {canTry && (
        <form
          className="macs-form"
          onSubmit={(event) => {
            event.preventDefault()
            if (complete) void tryMacs(model.id, shapesWithSizes(inspection.inputs, values))
          }}
        >
          {dims.map((d, i) => (
            <label key={sizeKey(d.input, d.index)} className="field">
              <span className="field-label">
                {d.input} · dim {d.index} <span className="mono">{d.name}</span>
              </span>
              <input
                className="input"
                type="number"
                min={1}
                step={1}
                value={sizes[sizeKey(d.input, d.index)] ?? ''}
                onChange={(event) => {
                  const text = event.currentTarget.value
                  setSizes((s) => ({ ...s, [sizeKey(d.input, d.index)]: text }))
                }}
                data-testid={`macs-size-${i}`}
              />
            </label>
          ))}
          <button type="submit" className="button small" disabled={!complete || tried?.state === 'running'} data-testid="macs-try">
            Estimate MACs
          </button>
        </form>
      )}
      {tried && (
        <div className="macs-result" data-testid="macs-try-result" data-state={tried.state} {...(tried.state === 'done' && tried.macs !== null ? { 'data-value': tried.macs } : {})}>
          {tried.state === 'running' ? (
            'Estimating…'
          ) : tried.state === 'failed' ? (
            <MessageText info={tried.error} prefix="Could not estimate: " />
          ) : tried.macs === null ? (
            `Still n/a with these sizes. ${tried.unknownAt ? stoppedAt(tried.unknownAt) : ''}`
          ) : (
            `${formatCount(tried.macs)} MACs per sample with these sizes (${tried.macs.toLocaleString('en-US')}).`
          )}
        </div>
      )}
    </section>
  )
}
