// Every task the worker process can run, by name. Engines add their task here; the handlers run only in
// the worker (ONNX Runtime and TF.js never run in the UI or in Electron's main process). Each task's module
// loads only when that task runs (the imports below are types only), so a worker starts with just the engine
// it needs.
import type { JobContext } from '../jobs/job-context'
import type { checkRuntime } from './check-runtime'
import type { checkData } from './check-data'
import type { inspectModel } from './inspect-model'
import type { pruneModel } from './prune-model'
import type { quantizeModel } from './quantize-model'
import type { convertModel } from './convert-model'
import type { ortOptimize } from '../optimize/ort-optimize'
import type { benchModel, benchPaired } from '../bench/bench-task'
import type { planBench } from '../bench/bench-plan'
import type { planComparison } from '../bench/compare-plan'
import type { modelOutputs } from '../bench/outputs-task'
import type { quantizeTfjs } from '../tfjs/quantize-tfjs'
import type { pruneTfjs } from '../tfjs/prune-tfjs'
import type { distillTfjs } from '../tfjs/distill-tfjs'
import type { convertTfjsToOnnx } from '../tfjs/convert-tfjs'
import type { publishReference } from '../publish/reference-task'
import type { modelGraph } from '../graph/graph-task'
import type { profileModel } from '../profile/profile-task'
import type { planProfile } from '../profile/profile-plan'
import type { joinProfiles } from '../profile/profile-join'
import type { estimateMacsTask } from '../inspect/macs-task'

export type TaskHandler = (params: never, ctx: JobContext) => Promise<unknown>

interface TaskHandlers {
  readonly 'check-runtime': typeof checkRuntime
  readonly 'check-data': typeof checkData
  readonly 'inspect-model': typeof inspectModel
  readonly 'prune-model': typeof pruneModel
  readonly 'quantize-model': typeof quantizeModel
  readonly 'convert-model': typeof convertModel
  readonly 'ort-optimize': typeof ortOptimize
  readonly 'bench-plan': typeof planBench
  readonly 'compare-plan': typeof planComparison
  readonly 'bench-model': typeof benchModel
  readonly 'bench-paired': typeof benchPaired
  readonly 'model-outputs': typeof modelOutputs
  readonly 'tfjs-quantize': typeof quantizeTfjs
  readonly 'tfjs-prune': typeof pruneTfjs
  readonly 'tfjs-distill': typeof distillTfjs
  readonly 'tfjs-convert-onnx': typeof convertTfjsToOnnx
  readonly 'publish-reference': typeof publishReference
  readonly 'model-graph': typeof modelGraph
  readonly 'profile-plan': typeof planProfile
  readonly 'profile-model': typeof profileModel
  readonly 'profile-join': typeof joinProfiles
  readonly 'estimate-macs': typeof estimateMacsTask
}

export type TaskName = keyof TaskHandlers
export type TaskParams<T extends TaskName> = Parameters<TaskHandlers[T]>[0]
export type TaskResult<T extends TaskName> = Awaited<ReturnType<TaskHandlers[T]>>

export const taskLoaders: { readonly [T in TaskName]: () => Promise<TaskHandlers[T]> } = {
  'check-runtime': () => import('./check-runtime').then((m) => m.checkRuntime),
  'check-data': () => import('./check-data').then((m) => m.checkData),
  'inspect-model': () => import('./inspect-model').then((m) => m.inspectModel),
  'prune-model': () => import('./prune-model').then((m) => m.pruneModel),
  'quantize-model': () => import('./quantize-model').then((m) => m.quantizeModel),
  'convert-model': () => import('./convert-model').then((m) => m.convertModel),
  'ort-optimize': () => import('../optimize/ort-optimize').then((m) => m.ortOptimize),
  'bench-plan': () => import('../bench/bench-plan').then((m) => m.planBench),
  'compare-plan': () => import('../bench/compare-plan').then((m) => m.planComparison),
  'bench-model': () => import('../bench/bench-task').then((m) => m.benchModel),
  'bench-paired': () => import('../bench/bench-task').then((m) => m.benchPaired),
  'model-outputs': () => import('../bench/outputs-task').then((m) => m.modelOutputs),
  'tfjs-quantize': () => import('../tfjs/quantize-tfjs').then((m) => m.quantizeTfjs),
  'tfjs-prune': () => import('../tfjs/prune-tfjs').then((m) => m.pruneTfjs),
  'tfjs-distill': () => import('../tfjs/distill-tfjs').then((m) => m.distillTfjs),
  'tfjs-convert-onnx': () => import('../tfjs/convert-tfjs').then((m) => m.convertTfjsToOnnx),
  'publish-reference': () => import('../publish/reference-task').then((m) => m.publishReference),
  'model-graph': () => import('../graph/graph-task').then((m) => m.modelGraph),
  'profile-plan': () => import('../profile/profile-plan').then((m) => m.planProfile),
  'profile-model': () => import('../profile/profile-task').then((m) => m.profileModel),
  'profile-join': () => import('../profile/profile-join').then((m) => m.joinProfiles),
  'estimate-macs': () => import('../inspect/macs-task').then((m) => m.estimateMacsTask),
}
