// Where a recipe's output waits while it is checked: a staging folder beside the output, holding the
// .onnx under its final name (a side file's location names it) and its side file, if any. ONNX Runtime
// loads the staged files by path, so a model with external data is checked exactly as it will be read;
// only a checked output is moved into place, side file first.
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { renameDurably } from '../serving/atomic-write'
import { needsExternalData, writeOnnxModelWithExternalData } from '../onnx/external-data-io'
import { writeOnnxModel } from '../onnx/model-file'
import type { ModelProto } from '../onnx/onnx-types'

export interface StagedOutput {
  /** The staging folder (recipes may keep their own temporary files in it: it goes when the output does). */
  readonly dir: string
  /** The staged .onnx, named as the output will be. */
  readonly path: string
  /** The .onnx and its side file, in bytes. */
  sizeBytes(): Promise<number>
  /** The staged .onnx and its side file, if it has one. */
  files(): Promise<string[]>
  /** Moves the staged files to the output path (replacing a stale side file there) and removes the folder. */
  commit(): Promise<void>
  discard(): Promise<void>
}

const sizeOf = (path: string): Promise<number | undefined> => stat(path).then((s) => s.size, () => undefined)

export async function stageOutput(outputPath: string): Promise<StagedOutput> {
  const out = resolve(outputPath)
  const dir = await mkdtemp(join(dirname(out), `.${basename(out)}.staging-`))
  const path = join(dir, basename(out))
  const discard = (): Promise<void> => rm(dir, { recursive: true, force: true })
  const hasData = async (): Promise<boolean> => (await sizeOf(`${path}.data`)) !== undefined
  const files = async (): Promise<string[]> => ((await hasData()) ? [path, `${path}.data`] : [path])
  return {
    dir,
    path,
    files,
    async sizeBytes() {
      let bytes = 0
      for (const file of await files()) bytes += (await sizeOf(file)) ?? 0
      return bytes
    },
    async commit() {
      if (await hasData()) await renameDurably(`${path}.data`, `${out}.data`)
      else await rm(`${out}.data`, { force: true })
      await renameDurably(path, out)
      await discard()
    },
    discard,
  }
}

/**
 * Writes a recipe's model into the stage: with its weights in one side file when the parent had one or
 * the model would pass protobuf's 2 GB limit, as one file otherwise.
 */
export async function writeStaged(stage: StagedOutput, model: ModelProto, parentExternal: boolean): Promise<void> {
  if (needsExternalData(model, parentExternal)) await writeOnnxModelWithExternalData(stage.path, model)
  else await writeOnnxModel(stage.path, model)
}

/**
 * Runs `produce` and writes its model into the stage, returning the rest of its result: once written, the
 * model is garbage and is collected here (where the worker exposes gc), so the check that follows does not
 * hold it beside ONNX Runtime's copy. V8 would not collect on its own: it does not see ONNX Runtime's
 * allocations (a pruned 1 GB model stayed resident through its check, peak 1.96× the model).
 */
export async function writeProduced<R extends { readonly model: ModelProto }>(
  stage: StagedOutput,
  parentExternal: boolean,
  produce: () => R,
): Promise<Omit<R, 'model'>> {
  const { model, ...rest } = produce()
  await writeStaged(stage, model, parentExternal)
  return rest
}
