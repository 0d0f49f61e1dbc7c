// Picking calibration or evaluation data: the files the engine holds, or a new one dropped on the picker
// or chosen in a file dialog; the choice is checked against the model's inputs before a job may use it.
import { useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ModelId } from '../../preload/api'
import { formatBytes } from '../format'
import { MessageText } from '../messages/MessageText'
import { checkKey } from '../store/data-slice'
import { useAppStore } from '../store/store-context'
import { filesFromDrop, filesFromInput } from './pick-files'

interface Props {
  readonly modelId: ModelId
  readonly label: string
  readonly value: string | null
  onChange(path: string | null): void
  /** Labels are not model inputs: no check. */
  readonly check?: boolean
  readonly testId: string
  /** Pre-select the first file whose name matches, when nothing is chosen yet. */
  readonly prefer?: RegExp
}

export function DataPicker({ modelId, label, value, onChange, check = true, testId, prefer }: Props): React.JSX.Element {
  const files = useAppStore(useShallow((state) => state.dataFiles))
  const loadDataFiles = useAppStore((state) => state.loadDataFiles)
  const addDataFiles = useAppStore((state) => state.addDataFiles)
  const checkData = useAppStore((state) => state.checkData)
  const state = useAppStore((s) => (value ? s.dataChecks[checkKey(modelId, value)] : undefined))
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)

  useEffect(() => {
    void loadDataFiles()
  }, [loadDataFiles])
  // A preferred file (the sample's calibration set) is chosen only when it fits this model: data made for
  // another model is never picked behind the user's back. Labels (no check) are picked by name alone.
  const candidate = value === null && prefer ? files.find((f) => prefer.test(f.name))?.path : undefined
  const candidateFits = useAppStore((s) => {
    const known = candidate ? s.dataChecks[checkKey(modelId, candidate)] : undefined
    return known?.status === 'done' && known.ok
  })
  useEffect(() => {
    if (candidate && check) void checkData(modelId, candidate)
  }, [candidate, check, modelId, checkData])
  useEffect(() => {
    if (candidate && (!check || candidateFits)) onChange(candidate)
  }, [candidate, check, candidateFits, onChange])
  useEffect(() => {
    if (value && check) void checkData(modelId, value)
  }, [value, check, modelId, checkData])

  const add = async (picked: Promise<{ dropped: File[]; expanded: { file: File; relativePath: string }[] }>): Promise<void> => {
    const { dropped, expanded } = await picked
    const info = await addDataFiles(dropped, expanded)
    if (info) onChange(info.path)
  }

  return (
    <div
      className={`data-picker${over ? ' over' : ''}`}
      data-testid={testId}
      data-check={!value || !check ? 'none' : state?.status === 'done' ? (state.ok ? 'ok' : 'error') : 'checking'}
      onDragOver={(event) => {
        event.preventDefault()
        event.stopPropagation()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        // Taken here: a data file dropped on the picker is data for this job, not a model to import.
        event.preventDefault()
        event.stopPropagation()
        setOver(false)
        void add(filesFromDrop(event.dataTransfer))
      }}
    >
      <label className="field-label" htmlFor={`${testId}-select`}>
        {label}
      </label>
      <div className="data-row">
        <select
          id={`${testId}-select`}
          className="input"
          value={value ?? ''}
          data-testid={`${testId}-select`}
          onChange={(event) => onChange(event.currentTarget.value || null)}
        >
          <option value="">— choose data —</option>
          {files.map((file) => (
            <option key={file.path} value={file.path}>
              {file.name} · {formatBytes(file.sizeBytes)} {file.source === 'sample' ? '(sample)' : ''}
            </option>
          ))}
        </select>
        <button type="button" className="button small" onClick={() => input.current?.click()}>
          Add file…
        </button>
        <input
          ref={input}
          type="file"
          hidden
          accept=".npy,.npz,.pb,.csv"
          data-testid={`${testId}-input`}
          onChange={(event) => {
            const list = event.currentTarget.files
            if (list && list.length > 0) void add(Promise.resolve(filesFromInput(list)))
            event.currentTarget.value = ''
          }}
        />
      </div>
      {value && check && (
        <div className={`data-check ${state?.status === 'done' ? (state.ok ? 'ok' : 'error') : ''}`} data-testid={`${testId}-check`}>
          {state?.status !== 'done'
            ? 'Checking against the model inputs…'
            : state.ok
              ? `✓ ${state.rows ?? 0} rows · ${(state.inputs ?? []).map((i) => `${i.name} ${i.dtype} [${i.shape.join(', ')}]`).join(', ')}`
              : <MessageText info={state.error ?? { name: 'Error', message: 'does not fit the model' }} prefix="✗ " />}
          {state?.status === 'done' && !state.ok && (
            <button type="button" className="button ghost small" onClick={() => void checkData(modelId, value)}>
              Check again
            </button>
          )}
        </div>
      )}
      <div className="field-help">Drop a .npy, .npz, .csv or test_data_set folder here, or add one.</div>
    </div>
  )
}

/** Whether a job needing checked data may start: nothing chosen, still checking, or a bad fit all say no. */
export function useDataReady(modelId: ModelId, path: string | null): boolean {
  return useAppStore((s) => {
    if (!path) return false
    const check = s.dataChecks[checkKey(modelId, path)]
    return check?.status === 'done' && check.ok
  })
}
