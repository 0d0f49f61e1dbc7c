// Every task the worker process can run, by name. Engines add their task here; the handlers run only in
// the worker (ONNX Runtime and TF.js never run in the UI or in Electron's main process).
import { benchModel } from '../bench/bench-task'
import { modelOutputs } from '../bench/outputs-task'
import type { JobContext } from '../jobs/job-context'
import { checkData } from './check-data'
import { checkRuntime } from './check-runtime'
import { inspectModel } from './inspect-model'
import { pruneModel } from './prune-model'
import { publishReference } from '../publish/reference-task'
import { convertModel } from './convert-model'
import { quantizeModel } from './quantize-model'
import { ortOptimize } from '../optimize/ort-optimize'
import { convertTfjsToOnnx } from '../tfjs/convert-tfjs'
import { distillTfjs } from '../tfjs/distill-tfjs'
import { pruneTfjs } from '../tfjs/prune-tfjs'
import { quantizeTfjs } from '../tfjs/quantize-tfjs'

export type TaskHandler = (params: never, ctx: JobContext) => Promise<unknown>

export const taskHandlers = {
  'publish-reference': publishReference,
  'check-runtime': checkRuntime,
  'check-data': checkData,
  'inspect-model': inspectModel,
  'prune-model': pruneModel,
  'convert-model': convertModel,
  'quantize-model': quantizeModel,
  'ort-optimize': ortOptimize,
  'bench-model': benchModel,
  'model-outputs': modelOutputs,
  'tfjs-quantize': quantizeTfjs,
  'tfjs-prune': pruneTfjs,
  'tfjs-distill': distillTfjs,
  'tfjs-convert-onnx': convertTfjsToOnnx,
} satisfies Record<string, TaskHandler>

export type TaskName = keyof typeof taskHandlers
export type TaskParams<T extends TaskName> = Parameters<(typeof taskHandlers)[T]>[0]
export type TaskResult<T extends TaskName> = Awaited<ReturnType<(typeof taskHandlers)[T]>>
