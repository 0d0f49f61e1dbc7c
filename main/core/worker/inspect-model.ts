// Worker task: what a model is (the inspector) and whether the runtime loads it, plus the files an import
// copies. Runs in the worker so that a model that crashes the runtime or the parser takes down only it.
import type { Inspection } from '../../../preload/api'
import { inspectModelAndFiles } from '../inspect/inspect-model'
import type { JobContext } from '../jobs/job-context'
import { checkRuntime } from './check-runtime'

export interface InspectModelParams {
  readonly path: string
}

export interface InspectModelResult {
  /** The folder the model's files are relative to. */
  readonly dir: string
  /** Absolute path of the main file (model.onnx or model.json). */
  readonly mainFile: string
  /** Absolute paths of every file the model needs (itself, external data, weight shards). */
  readonly files: readonly string[]
  readonly inspection: Inspection
}

export async function inspectModel(params: InspectModelParams, ctx: JobContext): Promise<InspectModelResult> {
  ctx.progress(0, 'reading')
  const { files: found, inspection } = await inspectModelAndFiles(params.path)
  ctx.progress(0.5, 'loading in the runtime')
  const runtimeCheck = await checkRuntime({ modelPath: found.mainFile, format: inspection.format }, ctx)
  const warnings = runtimeCheck.loads
    ? inspection.warnings
    : [
        ...inspection.warnings,
        {
          code: 'runtime-load-failed',
          severity: 'error' as const,
          message: `${runtimeCheck.runtime} cannot load this model: ${runtimeCheck.error ?? 'unknown error'}`,
        },
      ]
  ctx.progress(1, 'done')
  return {
    dir: found.dir,
    mainFile: found.mainFile,
    files: found.files,
    inspection: { ...inspection, warnings, runtimeCheck },
  }
}
