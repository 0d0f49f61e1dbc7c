// Deployment targets, what each serves, live metrics, and publishing: the Deployments view and the
// Publish action read and drive this slice. Tokens go to the engine in addTarget and never come back.
import type {
  DeploymentChange,
  DeploymentList,
  DeploymentMetrics,
  JobId,
  ModelId,
  NewTarget,
  PublishOptions,
  TargetInfo,
} from '../../preload/api'
import type { SliceCreator } from './app-store'

/** Samples kept per chart (at one every few seconds: the last few minutes). */
export const METRICS_HISTORY = 120

export interface PublishAsk {
  readonly modelId: ModelId
  readonly options: PublishOptions
  /** Versions already there: the user picks a new version, replace, or cancel. */
  readonly versions: readonly string[]
}

export interface DeploymentsSlice {
  readonly view: 'models' | 'deployments'
  readonly targets: readonly TargetInfo[]
  readonly deployments: Readonly<Record<string, DeploymentList>>
  /** Metric samples by `target\u0000model`, oldest first. */
  readonly metrics: Readonly<Record<string, readonly DeploymentMetrics[]>>
  /** The publish job started last per model, to show its progress and result. */
  readonly publishJobs: Readonly<Record<ModelId, JobId>>
  readonly publishAsk: PublishAsk | null
  setView(view: 'models' | 'deployments'): void
  loadTargets(): Promise<void>
  addTarget(target: NewTarget): Promise<boolean>
  removeTarget(name: string): Promise<void>
  loadDeployments(target: string): Promise<void>
  sampleMetrics(target: string, model: string): Promise<void>
  changeDeployment(target: string, change: DeploymentChange): Promise<void>
  /** Publishes, first asking when the name is taken on the target. */
  publish(modelId: ModelId, options: PublishOptions): Promise<void>
  answerPublishAsk(choice: 'new-version' | 'replace' | 'cancel'): Promise<void>
}

export function metricsKey(target: string, model: string): string {
  return `${target}\u0000${model}`
}

export const createDeploymentsSlice: SliceCreator<DeploymentsSlice> = (bridge) => (set, get) => {
  const startPublish = async (modelId: ModelId, options: PublishOptions): Promise<void> => {
    const id = await get().startJob({ kind: 'publish', modelId, options })
    if (id) set((state) => ({ publishJobs: { ...state.publishJobs, [modelId]: id } }))
  }
  return {
    view: 'models',
    targets: [],
    deployments: {},
    metrics: {},
    publishJobs: {},
    publishAsk: null,
    setView: (view) => set({ view }),
    async loadTargets() {
      try {
        set({ targets: await bridge.listTargets() })
      } catch (error) {
        get().showError(error)
      }
    },
    async addTarget(target) {
      try {
        await bridge.addTarget(target)
        await get().loadTargets()
        return true
      } catch (error) {
        get().showError(error)
        return false
      }
    },
    async removeTarget(name) {
      try {
        await bridge.removeTarget(name)
        await get().loadTargets()
      } catch (error) {
        get().showError(error)
      }
    },
    async loadDeployments(target) {
      try {
        const list = await bridge.listDeployments(target)
        set((state) => ({ deployments: { ...state.deployments, [target]: list } }))
      } catch (error) {
        get().showError(error)
      }
    },
    async sampleMetrics(target, model) {
      try {
        const sample = await bridge.deploymentMetrics(target, model)
        const key = metricsKey(target, model)
        set((state) => ({ metrics: { ...state.metrics, [key]: [...(state.metrics[key] ?? []), sample].slice(-METRICS_HISTORY) } }))
      } catch {
        // A missed sample is a gap in the chart; the list view reports the server's state.
      }
    },
    async changeDeployment(target, change) {
      try {
        await bridge.changeDeployment(target, change)
        get().showInfo(change.action === 'delete' ? `deleted version ${change.version ?? ''} of ${change.model}` : `${change.action} done: ${change.model}`)
      } catch (error) {
        get().showError(error)
      }
      await get().loadDeployments(target)
    },
    async publish(modelId, options) {
      let versions: readonly string[] = []
      try {
        const list = await bridge.listDeployments(options.target)
        versions = list.models.find((m) => m.name === options.name)?.versions.map((v) => v.version) ?? []
      } catch {
        // Unreachable or refused: the publish job's pre-flight says why, in its own words.
      }
      if (versions.length > 0 && (options.ifExists ?? 'ask') === 'ask') {
        set({ publishAsk: { modelId, options, versions } })
        return
      }
      await startPublish(modelId, options)
    },
    async answerPublishAsk(choice) {
      const ask = get().publishAsk
      set({ publishAsk: null })
      if (!ask || choice === 'cancel') return
      await startPublish(ask.modelId, { ...ask.options, ifExists: choice })
    },
  }
}
