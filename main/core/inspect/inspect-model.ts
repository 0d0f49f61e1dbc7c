// Entry points for importing and inspecting a model given by path: an .onnx file, a TF.js model.json, or
// a folder holding one of them. Every problem with the input is a FileError naming the file.
import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import type { Inspection, ModelFormat } from '../../../preload/api'
import { FileError } from '../errors'
import { externalDataFiles } from '../onnx/external-data'
import { readOnnxModel } from '../onnx/model-file'
import { inspectTfjs } from '../tfjs/inspect-tfjs'
import { readTfjsModelJson } from '../tfjs/model-json'
import { isSavedModel, savedModelError } from '../tfjs/saved-model'
import { inspectOnnx } from './inspect-onnx'

/** The main file of a model path: the path itself, or the one model file inside a folder. */
export async function resolveModelPath(path: string): Promise<{ file: string; kind: 'onnx' | 'tfjs' }> {
  let info
  try {
    info = await stat(path)
  } catch {
    throw new FileError(path, 'file not found')
  }
  if (info.isDirectory()) {
    const names = (await readdir(path)).sort()
    if (names.includes('model.json')) return { file: join(path, 'model.json'), kind: 'tfjs' }
    const onnx = names.filter((n) => extname(n).toLowerCase() === '.onnx')
    if (onnx.length === 1) return { file: join(path, onnx[0] as string), kind: 'onnx' }
    if (onnx.length > 1) throw new FileError(path, `the folder holds several .onnx files (${onnx.join(', ')}): pick one`)
    const json = names.filter((n) => extname(n).toLowerCase() === '.json')
    if (json.length === 1) return { file: join(path, json[0] as string), kind: 'tfjs' }
    if (await isSavedModel(path)) throw await savedModelError(path)
    throw new FileError(path, 'the folder holds no .onnx file and no TF.js model.json')
  }
  if (!info.isFile()) throw new FileError(path, 'is not a regular file')
  if (await isSavedModel(path)) throw await savedModelError(path)
  return { file: path, kind: extname(path).toLowerCase() === '.json' ? 'tfjs' : 'onnx' }
}

export interface ModelFiles {
  readonly format: ModelFormat
  /** The folder the files are relative to. */
  readonly dir: string
  /** Absolute path of the model file (the .onnx or model.json). */
  readonly mainFile: string
  /** Every file the model needs, main file first: external data or weight shards follow (absolute). */
  readonly files: readonly string[]
  readonly sizeBytes: number
}

/**
 * The files an import must copy (validated: side files exist, stay inside the folder, are long enough)
 * and the inspection, from one read of the model.
 */
export async function inspectModelAndFiles(path: string): Promise<{ files: ModelFiles; inspection: Inspection }> {
  const { file, kind } = await resolveModelPath(path)
  const mainFile = resolve(file)
  if (kind === 'tfjs') {
    const model = await readTfjsModelJson(file)
    const files = { format: model.format, dir: model.dir, mainFile, files: [mainFile, ...model.groups.flatMap((g) => g.paths)], sizeBytes: model.sizeBytes }
    return { files, inspection: inspectTfjs(model) }
  }
  const loaded = await readOnnxModel(file)
  const external = await externalDataFiles(file, loaded.model)
  const sizeBytes = loaded.bytes.length + external.reduce((sum, e) => sum + e.size, 0)
  const files = { format: 'onnx' as const, dir: dirname(mainFile), mainFile, files: [mainFile, ...external.map((e) => e.path)], sizeBytes }
  return { files, inspection: inspectOnnx(loaded, { sizeBytes, externalFiles: external.map((e) => basename(e.path)) }) }
}

/** The files an import must copy, validated. */
export async function modelFilesFor(path: string): Promise<ModelFiles> {
  return (await inspectModelAndFiles(path)).files
}

/** Everything of `Inspection` but runtimeCheck (which the worker adds by creating a session). */
export async function inspectModelFile(path: string): Promise<Inspection> {
  return (await inspectModelAndFiles(path)).inspection
}
