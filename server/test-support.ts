// Helpers shared by the server's tests and benchmark: temporary repositories holding the digits MLP,
// request builders for both body formats, and reference outputs from a local ONNX Runtime session.
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { decodeModel, encodeModel } from '../main/core/onnx/codec'

export const MLP_FILE = join(import.meta.dirname, '..', 'test-fixtures', 'onnx', 'digits_mlp.onnx')
export const CNN_FILE = join(import.meta.dirname, '..', 'test-fixtures', 'onnx', 'digits_cnn.onnx')

/** The digits MLP with dynamic batching, waiting at most `maxQueueDelayUs` for more requests. */
export function batchingConfig(maxQueueDelayUs = 200): string {
  return `name: "mlp"
backend: "onnxruntime"
max_batch_size: 64
input [ { name: "input", data_type: TYPE_FP32, dims: [ 64 ] } ]
output [ { name: "logits", data_type: TYPE_FP32, dims: [ 10 ] } ]
version_policy: { specific: { versions: [ 1 ] } }
dynamic_batching { max_queue_delay_microseconds: ${maxQueueDelayUs} }
`
}

export const BATCHING_CONFIG = batchingConfig()

/** A fresh directory holding `repo/` (mlp version 1, with `config` as config.pbtxt when given). */
export async function makeRepo(config?: string): Promise<{ root: string; repo: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'slipway-server-'))
  const repo = join(root, 'repo')
  await mkdir(join(repo, 'mlp', '1'), { recursive: true })
  await writeFile(join(repo, 'mlp', '1', 'model.onnx'), await readFile(MLP_FILE))
  if (config !== undefined) await writeFile(join(repo, 'mlp', 'config.pbtxt'), config)
  return { root, repo, cleanup: () => rm(root, { recursive: true, force: true }) }
}

/** Deterministic inputs in [0, 1), like the digits pixels the MLP was trained on. */
export function digitsInput(batch: number, seed = 1): Float32Array {
  const data = new Float32Array(batch * 64)
  let state = seed
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648
    data[i] = state / 2147483648
  }
  return data
}

export async function localOutputs(modelFile: string, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(modelFile)
  try {
    const result = await session.run({ input: new ort.Tensor('float32', input, shape) })
    return result[session.outputNames[0]!]!.data as Float32Array
  } finally {
    await session.release()
  }
}

/** A binary-extension infer body: JSON header plus the FP32 input bytes, all outputs asked as binary. */
export function binaryInferBody(input: Float32Array, shape: number[], name = 'input'): { body: Buffer; headerLength: number } {
  const header = Buffer.from(
    JSON.stringify({
      inputs: [{ name, shape, datatype: 'FP32', parameters: { binary_data_size: input.byteLength } }],
      parameters: { binary_data_output: true },
    }),
  )
  return { body: Buffer.concat([header, Buffer.from(input.buffer, input.byteOffset, input.byteLength)]), headerLength: header.length }
}

/** Reads the first binary output of a binary-extension response as FP32. */
export function binaryOutput(body: Buffer, headerLength: number): { header: Record<string, unknown>; data: Float32Array } {
  const header = JSON.parse(body.subarray(0, headerLength).toString('utf8')) as Record<string, unknown>
  const bytes = body.subarray(headerLength)
  const data = new Float32Array(bytes.length / 4)
  new Uint8Array(data.buffer).set(bytes)
  return { header, data }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The publish upload body: `Slipway-Metadata-Length` bytes of JSON metadata, then the model bytes. */
export function uploadBody(metadata: Record<string, unknown>, model: Uint8Array): { body: Buffer; metadataLength: number } {
  const head = Buffer.from(JSON.stringify(metadata))
  return { body: Buffer.concat([head, model]), metadataLength: head.length }
}

export async function upload(
  url: string,
  token: string,
  name: string,
  model: Uint8Array,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const { body, metadataLength } = uploadBody({ sha256: sha256(model), size: model.length, ...extra }, model)
  const response = await fetch(`${url}/slipway/models/${name}/versions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
      'slipway-metadata-length': String(metadataLength),
      ...headers,
    },
    body,
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

/** The digits MLP with `delta` added to its output bias: a distinct version whose outputs are known. */
export async function shiftedMlp(delta: number): Promise<Uint8Array> {
  const model = decodeModel(await readFile(MLP_FILE))
  const bias = model.graph!.initializer!.find((t) => t.name === 'net.4.bias')!
  const values = new Float32Array(new Uint8Array(bias.rawData!).buffer)
  for (let i = 0; i < values.length; i++) values[i] = values[i]! + delta
  bias.rawData = new Uint8Array(values.buffer)
  return encodeModel(model)
}

/** A response body as JSON; tests read whatever shape they expect and assert on it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(response: Response | Promise<Response>): Promise<any> {
  return (await response).json()
}
