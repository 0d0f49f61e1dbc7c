// Host tensors as ONNX Runtime feeds, and sessions for the recipes' own runs (calibration, checks).
import * as ort from 'onnxruntime-node'
import type { Feed } from '../data/load-tensors'
import { cleanOrtMessage } from '../worker/ort-message'
import { UserError } from '../errors'

export function toOrtFeeds(feed: Feed): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {}
  for (const [name, t] of Object.entries(feed))
    out[name] = new ort.Tensor(t.dtype as ort.Tensor.Type, t.data as ort.Tensor.DataType, [...t.dims])
  return out
}

/** A session on model bytes or a path; ORT's errors become UserErrors saying what could not load. */
export async function openSession(
  model: Uint8Array | string,
  what: string,
  options: ort.InferenceSession.SessionOptions = {},
): Promise<ort.InferenceSession> {
  try {
    return typeof model === 'string'
      ? await ort.InferenceSession.create(model, options)
      : await ort.InferenceSession.create(model, options)
  } catch (error) {
    throw new UserError(`ONNX Runtime cannot load ${what}: ${cleanOrtMessage(error)}`)
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
    throw new UserError(`ONNX Runtime failed to run ${what}: ${cleanOrtMessage(error)}`)
  }
}
