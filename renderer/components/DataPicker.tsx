// Picking calibration or evaluation data: the files the engine holds, or a new one dropped on the picker
// or chosen in a file dialog. The choice is the model's (kept by the engine per model and role); until the
// user chooses, the picker shows the file the engine suggests because it fits the model's inputs, and says
// so. The choice is checked against the model's inputs before a job may use it.
import { useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { DataRole, ModelId } from '../../preload/api'
import { formatBytes } from '../format'
import { MessageText } from '../messages/MessageText'
import { checkKey, dataChoiceOf } from '../store/data-slice'
import { useAppStore } from '../store/store-context'
import { filesFromDrop, filesFromInput } from './pick-files'

interface Props {
  readonly modelId: ModelId
  readonly role: DataRole
  readonly label: string
  /** Labels are not model inputs: no check. */
  readonly check?: boolean
  readonly testId: string
}

/** The data file a model's jobs use for a role: the user's choice, else the engine's fitting suggestion. */
export function useDataPath(modelId: ModelId, role: DataRole): string | null {
  return useAppStore((s) => dataChoiceOf(s, modelId, role).path)
}

export function DataPicker({ modelId, role, label, check = true, testId }: Props): React.JSX.Element {
  const files = useAppStore(useShallow((state) => state.dataFiles))
  const loadDataFiles = useAppStore((state) => state.loadDataFiles)
  const addDataFiles = useAppStore((state) => state.addDataFiles)
  const checkData = useAppStore((state) => state.checkData)
  const suggestData = useAppStore((state) => state.suggestData)
  const chooseData = useAppStore((state) => state.chooseData)
  const choice = useAppStore(useShallow((s) => dataChoiceOf(s, modelId, role)))
  const value = choice.path
  const state = useAppStore((s) => (value ? s.dataChecks[checkKey(modelId, value)] : undefined))
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)

  useEffect(() => {
    void loadDataFiles()
  }, [loadDataFiles])
  const looking = choice.how === 'looking'
  useEffect(() => {
    if (looking) void suggestData(modelId)
  }, [looking, modelId, suggestData])
  useEffect(() => {
    if (value && check) void checkData(modelId, value)
  }, [value, check, modelId, checkData])
  const onChange = (path: string | null): void => void chooseData(modelId, role, path)

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
      data-choice={choice.how}
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
      {choice.how === 'suggested' && (
        <div className="field-help data-suggested" data-testid={`${testId}-suggested`}>
          Suggested: {choice.suggestion.reason}
        </div>
      )}
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
      <div className="field-help">
        {looking ? 'Looking for data that fits the model… ' : ''}Drop a .npy, .npz, .csv or test_data_set folder here, or add one.
      </div>
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
