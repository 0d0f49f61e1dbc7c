// Worker task: ONNX Runtime's offline graph optimization (constant folding, Conv+BatchNormalization and
// activation fusions; at 'all', layouts for this CPU) saved through optimizedModelFilePath, validated
// against the parent before it is moved into place. The parent is loaded from its path, and a parent with
// external data gets its optimized weights written to a side file by ONNX Runtime itself.
import { basename } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { GraphOptimizeOptions, OrtOptimizeResult } from '../../../preload/api'
import { runtimeError, UserError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { encodeModel } from '../onnx/codec'
import { openOnnxModel } from '../onnx/external-data-io'
import { readOnnxModel } from '../onnx/model-file'
import { runnableByRuntime, withoutInitializerInputs } from '../onnx/opset-upgrade'
import type { ModelProto } from '../onnx/onnx-types'
import { externalInitializers } from './preprocess'
import { firstBatches, runParentOnInputs } from './recipe-io'
import { stageOutput } from './recipe-output'
import { exactnessFloorDb, validateVariant } from './validate-output'
import { validationRows } from '../worker/prune-model'
import { cleanOrtMessage } from '../worker/ort-message'
import { createSession } from './ort-feeds'
import type { RecipeTaskParams } from '../worker/recipe-task-params'

export const levelNotes: Readonly<Record<GraphOptimizeOptions['level'], string>> = {
  basic: 'basic: constant folding and redundant-node removal; the result runs anywhere ONNX Runtime does.',
  extended: 'extended: adds fusions into com.microsoft operators (ONNX Runtime only, any CPU); use this level for a variant deployed elsewhere.',
  all: "all: adds layout transformations for this very CPU (ONNX Runtime warns so): the file may run slower or not at all on another machine; use 'extended' for deployment.",
}

function histogram(model: ModelProto): Record<string, number> {
  const ops: Record<string, number> = {}
  for (const node of model.graph?.node ?? []) {
    const key = node.domain ? `${node.domain}.${node.opType}` : (node.opType ?? '?')
    ops[key] = (ops[key] ?? 0) + 1
  }
  return ops
}

async function sessionCreateMs(model: string): Promise<number> {
  const started = performance.now()
  const session = await createSession(model)
  const ms = performance.now() - started
  await session.release()
  return ms
}

/** Median of alternating session starts after one untimed start (the first pays the runtime's own setup). */
async function compareSessionStarts(parent: string, optimized: string, rounds = 5): Promise<{ parent: number; optimized: number }> {
  await sessionCreateMs(parent)
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < rounds; i++) {
    a.push(await sessionCreateMs(parent))
    b.push(await sessionCreateMs(optimized))
  }
  const median = (xs: number[]): number => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number
  return { parent: median(a), optimized: median(b) }
}

export async function ortOptimize(params: RecipeTaskParams<GraphOptimizeOptions>, ctx: JobContext): Promise<OrtOptimizeResult> {
  ctx.progress(0, 'running the parent', 'its outputs are the reference for the check')
  const reference = await runParentOnInputs(params.modelPath, { path: params.options.dataPath, maxRows: validationRows, spec: params.inputSpec }, validationRows)
  const parent = await openOnnxModel(params.modelPath)
  const stage = await stageOutput(params.outputPath)
  ctx.progress(0.1, 'optimizing', `level ${params.options.level}`)
  try {
    try {
      // IR < 4 models list their initializers as inputs too, which ONNX Runtime then cannot fold (it
      // keeps them as overridable inputs, and their __SHAPE companions become inputs nobody feeds).
      const prepared = withoutInitializerInputs(runnableByRuntime(parent.model, params.modelPath))
      const session = await createSession(prepared === parent.model ? params.modelPath : encodeModel(prepared), {
        graphOptimizationLevel: params.options.level,
        optimizedModelFilePath: stage.path,
        ...(parent.external ? { extra: { session: externalInitializers(`${basename(stage.path)}.data`) } } : {}),
      })
      await session.release()
    } catch (error) {
      throw runtimeError('ONNX Runtime cannot optimize it', cleanOrtMessage(error), params.modelPath)
    }
    ctx.throwIfCancelled()
    const optimized = (await readOnnxModel(stage.path)).model
    ctx.progress(0.5, 'validating', 'loading the result and comparing its outputs with the parent')
    const { data } = reference
    const check = await validateVariant(reference.reference, stage.path, firstBatches(data.feeds, validationRows), data.given, ctx)
    const floor = exactnessFloorDb(parent.model)
    const drifted = check.outputs.find((o) => o.sqnrDb < floor)
    if (drifted)
      throw new UserError(`the optimized model's output '${drifted.name}' differs from the parent's (SQNR ${drifted.sqnrDb.toFixed(1)} dB): not saved`)
    ctx.progress(0.8, 'measuring', 'session creation time')
    const created = await compareSessionStarts(params.modelPath, stage.path)
    const bytesAfter = await stage.sizeBytes()
    await stage.commit()
    ctx.progress(1, 'done')
    return {
      level: params.options.level,
      nodesBefore: parent.model.graph?.node?.length ?? 0,
      nodesAfter: optimized.graph?.node?.length ?? 0,
      opsBefore: histogram(parent.model),
      opsAfter: histogram(optimized),
      bytesBefore: parent.sizeBytes,
      bytesAfter,
      sessionCreateMs: created,
      validation: check,
      notes: [
        levelNotes[params.options.level],
        'ONNX Runtime applies these optimizations itself when a session starts, so inference is not faster than the parent run in ONNX Runtime; what is saved is the session start, and other runtimes get the folded graph.',
      ],
    }
  } finally {
    await stage.discard()
  }
}
