// Host tensors as ONNX Runtime feeds, and sessions for the recipes' own runs (calibration, checks).
import { randomBytes } from 'node:crypto'
import { unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { hasExternalTensors } from '../onnx/external-data-io'
import type { ModelProto } from '../onnx/onnx-types'
import type { Feed } from '../data/load-tensors'
import { cleanOrtMessage } from '../worker/ort-message'
import { runtimeError, UserError } from '../errors'
import { decodeModel, encodeModel, OnnxDecodeError } from '../onnx/codec'
import { refuseExternalData } from '../onnx/external-data'
import { readOnnxModel } from '../onnx/model-file'
import { runnableByRuntime, tooOldForRuntime } from '../onnx/opset-upgrade'

/** The model upgraded to opset 13 when it is older than ONNX Runtime runs; undefined when it is not. */
async function upgradedForRuntime(model: Uint8Array | string): Promise<Uint8Array | undefined> {
  let parsed
  try {
    parsed = typeof model === 'string' ? (await readOnnxModel(model)).model : decodeModel(model)
  } catch {
    return undefined
  }
  return tooOldForRuntime(parsed) ? encodeModel(runnableByRuntime(parsed, typeof model === 'string' ? model : 'the model')) : undefined
}

/**
 * ort.InferenceSession.create, except that a model older than opset 7 (PyTorch and Caffe2 exports of
 * 2017-2018), which ONNX Runtime refuses, runs upgraded to opset 13 in memory.
 */
export async function createSession(model: Uint8Array | string, options: ort.InferenceSession.SessionOptions = {}): Promise<ort.InferenceSession> {
  // Bytes have no folder: ONNX Runtime would resolve their external data against the working directory.
  if (typeof model !== 'string') {
    let decoded
    try {
      decoded = decodeModel(model)
    } catch (error) {
      if (!(error instanceof OnnxDecodeError)) throw error
    }
    if (decoded) refuseExternalData(decoded, 'the model')
  }
  try {
    return typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options)
  } catch (error) {
    const upgraded = await upgradedForRuntime(model)
    if (!upgraded) throw error
    return ort.InferenceSession.create(upgraded, options)
  }
}

export function toOrtFeeds(feed: Feed): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {}
  for (const [name, t] of Object.entries(feed))
    out[name] = new ort.Tensor(t.dtype as ort.Tensor.Type, t.data as ort.Tensor.DataType, [...t.dims])
  return out
}

/**
 * A session on model bytes or a path; ORT's errors become UserErrors saying what could not load. Bytes
 * that point at external data are refused (see refuseExternalData); a path resolves it in its folder.
 */
export async function openSession(
  model: Uint8Array | string,
  what: string,
  options: ort.InferenceSession.SessionOptions = {},
  file?: string,
): Promise<ort.InferenceSession> {
  try {
    return await createSession(model, options)
  } catch (error) {
    if (error instanceof UserError) throw error
    throw runtimeError(`ONNX Runtime cannot load ${what}`, cleanOrtMessage(error), file)
  }
}

/**
 * A session on a model held in memory. One whose tensors are still in a side file is written beside
 * that file (in `externalDir`) for ONNX Runtime to load by path, since locations resolve against the
 * model file's folder; the written .onnx goes once the session has loaded.
 */
export async function openModelSession(
  model: ModelProto,
  what: string,
  externalDir: string | undefined,
  options: ort.InferenceSession.SessionOptions = {},
): Promise<ort.InferenceSession> {
  if (!externalDir || !hasExternalTensors(model)) return openSession(encodeModel(model), what, options)
  const path = join(externalDir, `.session-${randomBytes(6).toString('hex')}.onnx`)
  await writeFile(path, encodeModel(model))
  try {
    return await openSession(path, what, options)
  } finally {
    await unlink(path)
  }
}

export async function runSession(
  session: ort.InferenceSession,
  feed: Feed,
  what: string,
  fetches?: readonly string[],
): Promise<Record<string, ort.Tensor>> {
  try {
    return fetches ? await session.run(toOrtFeeds(feed), [...fetches]) : await session.run(toOrtFeeds(feed))
  } catch (error) {
    throw runtimeError(`ONNX Runtime failed to run ${what}`, cleanOrtMessage(error))
  }
}
