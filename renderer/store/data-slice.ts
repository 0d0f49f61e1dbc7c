// Calibration and evaluation data: the files the engine holds, adding dropped or picked ones, each file's
// check against a model's inputs (run in a worker before any job may start with it), and each model's data
// per role: what the user chose (kept in the model's entry by the engine, so a reload or the other host
// sees it) or else what the engine suggests because it fits the model's inputs.
import type { DataCheck, DataFileInfo, DataRole, DataSuggestion, DataSuggestions, ModelEntry, ModelId, PickedFile } from '../../preload/api'
import { errorInfoOf } from '../../preload/call-error'
import type { AppState, SliceCreator } from './app-store'

export type CheckState = { readonly status: 'checking' } | ({ readonly status: 'done' } & DataCheck)

export function checkKey(modelId: ModelId, path: string): string {
  return `${modelId}\n${path}`
}

/** A model's data for a role: chosen by the user, suggested by the engine, still being looked for, or none. */
export type DataChoice =
  | { readonly how: 'chosen'; readonly path: string | null }
  | { readonly how: 'suggested'; readonly path: string; readonly suggestion: DataSuggestion }
  | { readonly how: 'looking' | 'none'; readonly path: null }

/**
 * The data a model's picker for `role` shows and its jobs use. Labels are suggested only beside the
 * evaluation file they pair with: other evaluation data makes the paired labels wrong.
 */
export function dataChoiceOf(state: Pick<AppState, 'models' | 'dataSuggestions'>, modelId: ModelId, role: DataRole): DataChoice {
  const chosen = state.models.find((m) => m.id === modelId)?.dataChoices
  if (chosen && role in chosen) return { how: 'chosen', path: chosen[role] ?? null }
  const suggestions = state.dataSuggestions[modelId]
  if (!suggestions) return { how: 'looking', path: null }
  const suggestion = suggestions[role]
  if (!suggestion) return { how: 'none', path: null }
  if (role === 'labels' && dataChoiceOf(state, modelId, 'evaluation').path !== suggestions.evaluation?.path) return { how: 'none', path: null }
  return { how: 'suggested', path: suggestion.path, suggestion }
}

export interface DataSlice {
  readonly dataFiles: readonly DataFileInfo[]
  readonly dataChecks: Readonly<Record<string, CheckState>>
  /** The engine's suggestions per model, for the data files listed now (cleared when the list changes). */
  readonly dataSuggestions: Readonly<Record<ModelId, DataSuggestions>>
  loadDataFiles(): Promise<void>
  addDataFiles(dropped: readonly File[], expanded: readonly PickedFile[]): Promise<DataFileInfo | null>
  checkData(modelId: ModelId, path: string): Promise<DataCheck | null>
  /** Asks the engine which files fit the model (once per model and file list). */
  suggestData(modelId: ModelId): Promise<void>
  /** Keeps the user's choice for the model (null: no data, and no suggestion either). */
  chooseData(modelId: ModelId, role: DataRole, path: string | null): Promise<void>
}

export const createDataSlice: SliceCreator<DataSlice> = (bridge) => (set, get) => {
  const setCheck = (key: string, state: CheckState): void => set((s) => ({ dataChecks: { ...s.dataChecks, [key]: state } }))
  const asking = new Set<ModelId>()
  const replaceModel = (entry: ModelEntry): void => set((s) => ({ models: s.models.map((m) => (m.id === entry.id ? entry : m)) }))
  return {
    dataFiles: [],
    dataChecks: {},
    dataSuggestions: {},
    async loadDataFiles() {
      try {
        const dataFiles = await bridge.listDataFiles()
        const same = dataFiles.map((f) => f.path).join('\n') === get().dataFiles.map((f) => f.path).join('\n')
        // A new or removed file may change what fits best: suggestions are asked again.
        set(same ? { dataFiles } : { dataFiles, dataSuggestions: {} })
      } catch (error) {
        get().showError(error)
      }
    },
    async suggestData(modelId) {
      if (asking.has(modelId) || get().dataSuggestions[modelId]) return
      asking.add(modelId)
      try {
        const suggestions = await bridge.suggestData(modelId)
        set((s) => ({ dataSuggestions: { ...s.dataSuggestions, [modelId]: suggestions } }))
      } catch (error) {
        // No suggestion is a safe answer: the picker starts empty, as it would with no fitting file.
        set((s) => ({ dataSuggestions: { ...s.dataSuggestions, [modelId]: {} } }))
        get().showError(error)
      } finally {
        asking.delete(modelId)
      }
    },
    async chooseData(modelId, role, path) {
      try {
        replaceModel(await bridge.setDataChoice(modelId, role, path))
      } catch (error) {
        get().showError(error)
      }
    },
    async addDataFiles(dropped, expanded) {
      try {
        const info = await bridge.addDataFile(await bridge.importSourceForFiles(dropped, expanded))
        await get().loadDataFiles()
        get().showInfo(`Added data ${info.name}`)
        return info
      } catch (error) {
        get().showError(error)
        return null
      }
    },
    async checkData(modelId, path) {
      const key = checkKey(modelId, path)
      const known = get().dataChecks[key]
      // A fit is final; a misfit or a failed check is asked again (the file may have been fixed).
      if (known?.status === 'done' && known.ok) return known
      if (known?.status === 'checking') return null
      setCheck(key, { status: 'checking' })
      try {
        const check = await bridge.checkData(modelId, path)
        setCheck(key, { status: 'done', ...check })
        return check
      } catch (error) {
        const check = { ok: false, error: errorInfoOf(error) }
        setCheck(key, { status: 'done', ...check })
        return check
      }
    },
  }
}
