// Models and variants of the workspace, the selection, and importing.
import type { DeletionPlan, ImportSource, InputSpec, ModelEntry, ModelId, PickedFile, SampleSource } from '../../preload/api'
import type { SliceCreator } from './app-store'

export interface ModelsSlice {
  readonly models: readonly ModelEntry[]
  readonly selectedId: ModelId | null
  /** False until the first list arrives: the window shows no "drop a model" before it knows there is none. */
  readonly modelsLoaded: boolean
  readonly importing: boolean
  loadModels(): Promise<void>
  setModels(models: readonly ModelEntry[]): void
  select(id: ModelId | null): void
  importFiles(dropped: readonly File[], expanded: readonly PickedFile[]): Promise<ModelEntry | null>
  /** Adds the sample model shipped with the app (again). */
  importSample(): Promise<ModelEntry | null>
  /** Imports, selects the new model and reloads the list; a failure goes to the notice (null). */
  importFrom(source: () => Promise<ImportSource | SampleSource>): Promise<ModelEntry | null>
  /** What deleting the model would take with it, for the confirmation; null when the engine refused. */
  planDeletion(id: ModelId): Promise<DeletionPlan | null>
  /** Deletes the model with its variants; false when the engine refused (the notice says why). */
  deleteModel(id: ModelId): Promise<boolean>
  /** False when the engine refused the name (the notice says why). */
  renameModel(id: ModelId, name: string): Promise<boolean>
  /** Input specs being saved: jobs wait for them, so a job feeds what the panel shows. */
  readonly savingInputSpecs: number
  /** Remembers what the inputs of these models (a model and its variants) are; false when the engine refused. */
  saveInputSpec(ids: readonly ModelId[], spec: InputSpec): Promise<boolean>
}

export const createModelsSlice: SliceCreator<ModelsSlice> = (bridge) => (set, get) => ({
  models: [],
  selectedId: null,
  modelsLoaded: false,
  importing: false,
  savingInputSpecs: 0,
  async loadModels() {
    get().setModels(await bridge.listModels())
  },
  setModels(models) {
    const selectedId = get().selectedId
    const stillThere = selectedId !== null && models.some((model) => model.id === selectedId)
    set({ models, modelsLoaded: true, selectedId: stillThere ? selectedId : (models[0]?.id ?? null) })
  },
  // Picking a model in the sidebar shows it, from the Deployments view too.
  select: (id) => set({ selectedId: id, view: 'models' }),
  importFiles: (dropped, expanded) => get().importFrom(() => bridge.importSourceForFiles(dropped, expanded)),
  importSample: () => get().importFrom(async () => ({ kind: 'sample' })),
  async importFrom(source) {
    set({ importing: true })
    try {
      const entry = await bridge.importModel(await source())
      set({ selectedId: entry.id })
      await get().loadModels()
      get().dismissNotice()
      return entry
    } catch (error) {
      get().showError(error)
      return null
    } finally {
      set({ importing: false })
    }
  },
  async saveInputSpec(ids, spec) {
    // Counted before the first await: a click right after the edit already sees the save pending.
    set((state) => ({ savingInputSpecs: state.savingInputSpecs + 1 }))
    try {
      for (const id of ids) await bridge.setInputSpec(id, spec)
      await get().loadModels()
      return true
    } catch (error) {
      get().showError(error)
      return false
    } finally {
      set((state) => ({ savingInputSpecs: state.savingInputSpecs - 1 }))
    }
  },
  async planDeletion(id) {
    try {
      return await bridge.planDeletion(id)
    } catch (error) {
      get().showError(error)
      return null
    }
  },
  async deleteModel(id) {
    try {
      await bridge.deleteModel(id)
      await get().loadModels()
      return true
    } catch (error) {
      get().showError(error)
      return false
    }
  },
  async renameModel(id, name) {
    try {
      await bridge.renameModel(id, name)
      await get().loadModels()
      return true
    } catch (error) {
      get().showError(error)
      return false
    }
  },
})
