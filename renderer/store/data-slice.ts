// Calibration and evaluation data: the files the engine holds, adding dropped or picked ones, and each
// file's check against a model's inputs (run in a worker before any job may start with it).
import type { DataCheck, DataFileInfo, ModelId, PickedFile } from '../../preload/api'
import { errorInfoOf } from '../../preload/call-error'
import type { SliceCreator } from './app-store'

export type CheckState = { readonly status: 'checking' } | ({ readonly status: 'done' } & DataCheck)

export function checkKey(modelId: ModelId, path: string): string {
  return `${modelId}\n${path}`
}

export interface DataSlice {
  readonly dataFiles: readonly DataFileInfo[]
  readonly dataChecks: Readonly<Record<string, CheckState>>
  loadDataFiles(): Promise<void>
  addDataFiles(dropped: readonly File[], expanded: readonly PickedFile[]): Promise<DataFileInfo | null>
  checkData(modelId: ModelId, path: string): Promise<DataCheck | null>
}

export const createDataSlice: SliceCreator<DataSlice> = (bridge) => (set, get) => {
  const setCheck = (key: string, state: CheckState): void => set((s) => ({ dataChecks: { ...s.dataChecks, [key]: state } }))
  return {
    dataFiles: [],
    dataChecks: {},
    async loadDataFiles() {
      try {
        set({ dataFiles: await bridge.listDataFiles() })
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
