// Optimize: one card per recipe, presets first (one click), every option on demand, data checked against
// the model's inputs before the job may start, and the job's progress and errors on the card.
import { useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { JobId, ModelEntry, Recipe } from '../../preload/api'
import { descendantsOf, rootOf } from '../compare/family'
import { recipeCards, tfjsCards, type FieldValue, type RecipeCard } from '../optimize/recipe-cards'
import { useAppStore } from '../store/store-context'
import { DataPicker, useDataPath, useDataReady } from './DataPicker'
import { InputsPanel } from './InputsPanel'
import { JobStatus } from './JobStatus'
import { OptionFields } from './OptionFields'
import { TunePanel } from './TunePanel'

function CardView({ card, model }: { card: RecipeCard; model: ModelEntry }): React.JSX.Element {
  const startJob = useAppStore((state) => state.startJob)
  const [values, setValues] = useState<Record<string, FieldValue>>({ ...card.presets[0]?.values })
  const [open, setOpen] = useState(false)
  // Cards without data have no role: 'calibration' stands in, and its path is never sent.
  const dataPath = useDataPath(model.id, card.data?.role ?? 'calibration')
  const [jobId, setJobId] = useState<JobId | null>(null)
  const dataReady = useDataReady(model.id, dataPath)
  const savingInputs = useAppStore((state) => state.savingInputSpecs > 0)
  const blocked = savingInputs || (card.data ? (card.data.required ? !dataReady : dataPath !== null && !dataReady) : false)
  const why = savingInputs
    ? 'Saving the model inputs…'
    : card.data?.required && !dataPath
      ? `Choose ${card.data.label.toLowerCase()} first`
      : blocked
        ? 'The data does not fit the model'
        : undefined

  const run = async (chosen: Readonly<Record<string, FieldValue>>): Promise<void> => {
    setJobId(await startJob(card.request(model.id, chosen, card.data ? dataPath : null)))
  }

  return (
    <section className="recipe-card" data-testid={`recipe-${card.id}`}>
      <h3>{card.title}</h3>
      <p className="recipe-blurb">{card.blurb}</p>
      {card.data && (
        <DataPicker modelId={model.id} role={card.data.role} label={card.data.label} testId={`recipe-${card.id}-data`} />
      )}
      <div className="presets">
        {card.presets.map((preset) => (
          <button
            key={preset.label}
            type="button"
            className="button preset"
            disabled={blocked}
            title={why ?? preset.hint}
            data-testid={`recipe-${card.id}-preset`}
            onClick={() => {
              setValues({ ...preset.values })
              void run(preset.values)
            }}
          >
            <span className="preset-label">{preset.label}</span>
            <span className="preset-hint">{preset.hint}</span>
          </button>
        ))}
      </div>
      <button type="button" className="button ghost small" aria-expanded={open} onClick={() => setOpen(!open)} data-testid={`recipe-${card.id}-options-toggle`}>
        {open ? 'Hide options' : 'All options…'}
      </button>
      {open && (
        <>
          <OptionFields fields={card.fields} values={values} onChange={(key, value) => setValues((v) => ({ ...v, [key]: value }))} testId={`recipe-${card.id}-options`} />
          <button type="button" className="button primary" disabled={blocked} title={why} onClick={() => void run(values)} data-testid={`recipe-${card.id}-run`}>
            Run with these options
          </button>
        </>
      )}
      <JobStatus jobId={jobId} testId={`recipe-${card.id}-job`} />
    </section>
  )
}

/** A recipe file (JSON): its steps run in order, each committed as a variant of the previous one. */
function RecipeFileCard({ model }: { model: ModelEntry }): React.JSX.Element {
  const startJob = useAppStore((state) => state.startJob)
  const showError = useAppStore((state) => state.showError)
  const input = useRef<HTMLInputElement>(null)
  const [recipe, setRecipe] = useState<{ name: string; recipe: Recipe } | null>(null)
  const [jobId, setJobId] = useState<JobId | null>(null)

  const read = async (file: File): Promise<void> => {
    try {
      const parsed = JSON.parse(await file.text()) as Recipe
      if (!Array.isArray(parsed.steps) || parsed.steps.length === 0) throw new Error('it has no "steps" list')
      setRecipe({ name: file.name, recipe: parsed })
    } catch (error) {
      showError(`${file.name}: not a recipe file (${error instanceof Error ? error.message : String(error)})`)
    }
  }

  return (
    <section className="recipe-card" data-testid="recipe-chain">
      <h3>Recipe file</h3>
      <p className="recipe-blurb">A chain of steps from a JSON file (prune → optimize → quantize…), each step a variant of the one before.</p>
      <div className="presets">
        <button type="button" className="button" onClick={() => input.current?.click()}>
          Choose recipe file…
        </button>
        <input ref={input} type="file" hidden accept=".json" onChange={(e) => e.currentTarget.files?.[0] && void read(e.currentTarget.files[0])} />
      </div>
      {recipe && (
        <>
          <ol className="recipe-steps">
            {recipe.recipe.steps.map((step, i) => (
              <li key={i}>
                <strong>{step.step}</strong> <span className="mono">{JSON.stringify(step.options ?? {})}</span>
              </li>
            ))}
          </ol>
          <button type="button" className="button primary" onClick={() => void startJob({ kind: 'recipe', modelId: model.id, recipe: recipe.recipe }).then(setJobId)}>
            Run {recipe.recipe.name ?? recipe.name}
          </button>
        </>
      )}
      <JobStatus jobId={jobId} testId="recipe-chain-job" />
    </section>
  )
}

export function OptimizeTab({ model }: { model: ModelEntry }): React.JSX.Element {
  const models = useAppStore(useShallow((state) => state.models))
  const family = useMemo(() => {
    const root = rootOf(models, model.id) ?? model
    return [root, ...descendantsOf(models, root.id)]
  }, [models, model])
  if (model.format !== 'onnx')
    return (
      <div className="recipe-grid" data-testid="recipe-grid">
        {tfjsCards.map((card) => (
          <CardView key={card.id} card={card} model={model} />
        ))}
      </div>
    )
  return (
    <div className="tab-body">
      <InputsPanel model={model} family={family} />
      <TunePanel model={model} />
      <div className="recipe-grid" data-testid="recipe-grid">
        {recipeCards.map((card) => (
          <CardView key={card.id} card={card} model={model} />
        ))}
        <RecipeFileCard model={model} />
      </div>
    </div>
  )
}
