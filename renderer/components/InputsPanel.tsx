// Model inputs: what the benchmark and every recipe's output check feed the model when no data file is
// given. One row per input: its full shape where some dim is dynamic, and its values (random, one fixed
// value, or a range). Prefilled with guesses, saved with the model (and its variants) as it is edited.
import { useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { InputProblem, InputSpec, ModelEntry, TensorInfo } from '../../preload/api'
import { draftProblems, draftsFromSpec, guessDrafts, specOf, type InputDraft } from '../inputs/input-guesses'
import { useAppStore } from '../store/store-context'

type Values = InputDraft['values']

const sameSpec = (a: InputSpec | undefined, b: InputSpec): boolean => JSON.stringify(a ?? {}) === JSON.stringify(b)

/** The dims the model's checked data files imply, by input name (the first file that fits). */
function useDataShapes(model: ModelEntry): Record<string, readonly number[]> {
  // As a string, so that checks of other models or files do not make new guesses (and reset the fields).
  const key = useAppStore((state) => {
    for (const [checkKey, check] of Object.entries(state.dataChecks))
      if (checkKey.startsWith(`${model.id}\n`) && check.status === 'done' && check.ok && check.inputs)
        return JSON.stringify(Object.fromEntries(check.inputs.map((input) => [input.name, input.shape])))
    return '{}'
  })
  return useMemo(() => JSON.parse(key) as Record<string, readonly number[]>, [key])
}

/** Input problems of the latest failed job on this model (the engine's word on which inputs to set). */
function useJobProblems(model: ModelEntry): { readonly problems: readonly InputProblem[]; readonly at: string } {
  const jobs = useAppStore(useShallow((state) => state.jobs))
  return useMemo(() => {
    const names = new Set(model.inspection?.inputs.map((input) => input.name))
    const failed = Object.values(jobs)
      .filter((job) => (job.modelId === model.id || job.kind === 'benchmark') && job.state === 'failed')
      .filter((job) => job.error?.inputProblems?.length && job.error.inputProblems.every((p) => names.has(p.input)))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    const last = failed.at(-1)
    return { problems: last?.error?.inputProblems ?? [], at: last?.createdAt ?? '' }
  }, [jobs, model])
}

function ValuesField({ draft, onChange, onCommit }: { draft: InputDraft; onChange(values: Values): void; onCommit(values?: Values): void }): React.JSX.Element {
  const v = draft.values
  const kinds = { random: 'Random', fixed: 'Fixed value', range: 'Range' } as const
  const choose = (kind: keyof typeof kinds): void => {
    const next: Values = kind === 'fixed' ? { kind, value: v.kind === 'range' ? v.low : '' } : kind === 'range' ? { kind, low: '0', high: draft.dtype.startsWith('float') ? '1' : '9' } : { kind }
    onChange(next)
    if (kind !== 'fixed') onCommit(next)
  }
  return (
    <div className="input-values">
      <select className="input" value={v.kind} aria-label={`Values of ${draft.name}`} data-testid="input-values-kind" data-input={draft.name} onChange={(e) => choose(e.currentTarget.value as keyof typeof kinds)}>
        {Object.entries(kinds).map(([kind, label]) => (
          <option key={kind} value={kind}>
            {label}
          </option>
        ))}
      </select>
      {v.kind === 'fixed' && (
        <input
          className="input narrow-value"
          inputMode="decimal"
          value={v.value}
          aria-label={`Value of ${draft.name}`}
          data-testid="input-value"
          data-input={draft.name}
          onChange={(e) => onChange({ kind: 'fixed', value: e.currentTarget.value })}
          onBlur={() => onCommit()}
          onKeyDown={(e) => e.key === 'Enter' && onCommit()}
        />
      )}
      {v.kind === 'range' && (
        <>
          <input className="input narrow-value" inputMode="decimal" value={v.low} aria-label={`Lowest value of ${draft.name}`} data-testid="input-range-low" data-input={draft.name} onChange={(e) => onChange({ ...v, low: e.currentTarget.value })} onBlur={() => onCommit()} />
          <span className="muted">to</span>
          <input className="input narrow-value" inputMode="decimal" value={v.high} aria-label={`Highest value of ${draft.name}`} data-testid="input-range-high" data-input={draft.name} onChange={(e) => onChange({ ...v, high: e.currentTarget.value })} onBlur={() => onCommit()} />
        </>
      )}
    </div>
  )
}

export function InputsPanel({ model, family }: { model: ModelEntry; family: readonly ModelEntry[] }): React.JSX.Element | null {
  const inputs = model.inspection?.inputs
  const saveInputSpec = useAppStore((state) => state.saveInputSpec)
  const dataShapes = useDataShapes(model)
  const jobProblems = useJobProblems(model)
  // Keyed by content: a reloaded entry (after every save) is the same inputs, not new guesses.
  const inputsKey = JSON.stringify(inputs ?? [])
  const guesses = useMemo(() => guessDrafts(JSON.parse(inputsKey) as TensorInfo[], model.name, dataShapes), [inputsKey, model.name, dataShapes])
  const [drafts, setDrafts] = useState<InputDraft[]>(() => draftsFromSpec(guesses, model.inputSpec))
  const [invalid, setInvalid] = useState(false)
  const saving = useAppStore((s) => s.savingInputSpecs > 0)
  const state = invalid ? 'invalid' : saving ? 'saving' : 'saved'
  // When the user last changed a field: a job's input problems from before that are out of date.
  const [editedAt, setEditedAt] = useState('')
  const latest = useRef(drafts)
  latest.current = drafts

  // Models that take the same inputs share the spec: the variants of this model are fed alike.
  const targets = useMemo(() => {
    const names = (m: ModelEntry): string => (m.inspection?.inputs ?? []).map((i) => i.name).join('\n')
    return family.filter((m) => m.id === model.id || names(m) === names(model)).map((m) => m.id)
  }, [family, model])

  const save = async (next: readonly InputDraft[]): Promise<void> => {
    if (Object.keys(draftProblems(next)).length > 0) return setInvalid(true)
    setInvalid(false)
    const spec = specOf(next)
    if (targets.every((id) => sameSpec(family.find((m) => m.id === id)?.inputSpec, spec))) return
    setInvalid(!(await saveInputSpec(targets, spec)))
  }

  // Another model, or a new data file that implies dims: start from what is saved, else from the guesses,
  // and remember the guesses at once so that what the panel shows is what a job feeds.
  useEffect(() => {
    const fresh = draftsFromSpec(guesses, model.inputSpec)
    setDrafts(fresh)
    setEditedAt('')
    if (!model.inputSpec && Object.keys(specOf(fresh)).length > 0) void save(fresh)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-run only when the model or the guesses change, not on every save
  }, [model.id, guesses])

  if (!inputs || inputs.length === 0) return null
  const problems = draftProblems(drafts)
  const update = (name: string, change: Partial<InputDraft>): void => {
    setEditedAt(new Date().toISOString())
    setDrafts((current) => current.map((d) => (d.name === name ? { ...d, ...change } : d)))
  }
  const commit = (name: string, values?: Values): void => {
    const next = values ? latest.current.map((d) => (d.name === name ? { ...d, values } : d)) : latest.current
    void save(next)
  }
  const shown = jobProblems.at > editedAt ? jobProblems.problems : []

  return (
    <section className="panel inputs-panel" data-testid="inputs-panel" data-state={state}>
      <div className="panel-head">
        <h2>Model inputs</h2>
        <span className="muted small" data-testid="inputs-panel-state">
          {state === 'saving' ? 'Saving…' : state === 'invalid' ? 'Not saved: fix the marked input' : 'Used by benchmarks and recipe checks when no data is given'}
        </span>
      </div>
      <table className="table inputs-table">
        <thead>
          <tr>
            <th>input</th>
            <th>type</th>
            <th>declared shape</th>
            <th>shape to feed</th>
            <th>values</th>
          </tr>
        </thead>
        <tbody>
          {drafts.map((draft) => {
            const fromJob = shown.find((p) => p.input === draft.name)
            const problem =
              problems[draft.name] ??
              (fromJob && `The last run failed on ${fromJob.problem}. Set its ${fromJob.needs === 'shape' ? 'real shape' : 'value or range'}.`)
            return (
              <tr key={draft.name} data-testid="input-row" data-input={draft.name} className={problem ? 'has-problem' : undefined}>
                <td className="mono">{draft.name}</td>
                <td className="mono">{draft.dtype}</td>
                <td className="mono">
                  {draft.declared.length === 0 ? 'scalar' : draft.declared.map((d, i) => (
                    <span key={i}>
                      {i > 0 ? '×' : ''}
                      <span className={typeof d === 'number' && d >= 0 ? undefined : 'dim-symbolic'}>{d}</span>
                    </span>
                  ))}
                </td>
                <td>
                  {draft.hasOpenDims ? (
                    <input
                      className="input shape-input"
                      value={draft.shape}
                      aria-label={`Shape of ${draft.name}`}
                      aria-invalid={problems[draft.name] !== undefined}
                      data-testid="input-shape"
                      data-input={draft.name}
                      onChange={(e) => update(draft.name, { shape: e.currentTarget.value })}
                      onBlur={() => commit(draft.name)}
                      onKeyDown={(e) => e.key === 'Enter' && commit(draft.name)}
                    />
                  ) : (
                    <span className="mono muted">{draft.shape || 'scalar'}</span>
                  )}
                </td>
                <td>
                  <ValuesField draft={draft} onChange={(values) => update(draft.name, { values })} onCommit={(values) => commit(draft.name, values)} />
                  {problem && (
                    <div className="input-problem" role="alert" data-testid="input-problem" data-input={draft.name}>
                      {problem}
                    </div>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <p className="field-help">
        A dynamic first dim is the batch: the benchmark’s batch sizes fill it. Shapes use × or x between sizes. A data file, where a job takes one, is
        fed instead.
      </p>
    </section>
  )
}
