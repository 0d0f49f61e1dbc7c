// MACs tried with sizes for a model's dynamic dims (the Overview's "try a size"), estimated by the engine
// and kept per model for the window's life.
import type { ErrorInfo, MacsEstimate, ModelId } from '../../preload/api'
import { errorInfoOf } from '../../preload/call-error'
import type { SliceCreator } from './app-store'

export type MacsTry = { readonly state: 'running' } | ({ readonly state: 'done' } & MacsEstimate) | { readonly state: 'failed'; readonly error: ErrorInfo }

export interface MacsSlice {
  readonly macsTries: Readonly<Record<ModelId, MacsTry>>
  tryMacs(modelId: ModelId, shapes: Readonly<Record<string, readonly number[]>>): Promise<void>
}

export const createMacsSlice: SliceCreator<MacsSlice> = (bridge) => (set) => ({
  macsTries: {},
  async tryMacs(modelId, shapes) {
    const put = (result: MacsTry): void => set((s) => ({ macsTries: { ...s.macsTries, [modelId]: result } }))
    put({ state: 'running' })
    try {
      put({ state: 'done', ...(await bridge.estimateMacs(modelId, shapes)) })
    } catch (error) {
      put({ state: 'failed', error: errorInfoOf(error) })
    }
  },
})
