// Inference request and response bodies of the Open Inference Protocol: JSON tensors and the binary tensor
// extension. Every size is checked against the declared shape, in BigInt, before anything is allocated.
import { DATATYPES, isDatatype, type Datatype, type TypedArray } from '../main/core/serving/datatypes'
import { HttpError } from './http-error'
import { jsonSkeleton, readJsonData, SLICE_BYTES, yieldToLoop } from './json-slices'

export type TensorData = TypedArray | string[]

export interface Tensor {
  name: string
  datatype: Datatype
  shape: number[]
  data: TensorData
}

export interface RequestedOutput {
  name: string
  binary: boolean
}

export interface InferRequest {
  id?: string
  inputs: Tensor[]
  /** Absent: every output, as JSON unless `binaryDefault`. */
  outputs?: RequestedOutput[]
  binaryDefault: boolean
}

export interface CodecLimits {
  /** Largest total of a request's tensors once decoded (guards against INT8 data declared as INT64). */
  maxTensorBytes: number
  /** Most BYTES elements in one request: each costs a string object, whatever its length. */
  maxBytesElements: number
  maxJsonDepth: number
  maxRank: number
  maxTensors: number
}

/** A tensor as the request's header declares it, before its data is decoded. */
export interface TensorHead {
  name: string
  datatype: Datatype
  shape: number[]
  count: number
  /** Where the data is: a byte range of binary data, of JSON data, or the whole raw body. */
  source: { kind: 'binary' | 'json'; start: number; end: number }
}

/** The request as its header declares it; checked against the model before any data is decoded. */
export interface InferHead {
  id?: string
  inputs: TensorHead[]
  outputs?: RequestedOutput[]
  binaryDefault: boolean
}

function bad(message: string): never {
  throw new HttpError(400, message)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Element count of a shape, refusing negative, fractional, huge or overflowing dims. */
export function elementCount(shape: unknown, maxRank: number, where: string): number {
  if (!Array.isArray(shape)) bad(`${where}: shape must be an array`)
  if (shape.length > maxRank) bad(`${where}: rank ${shape.length} exceeds ${maxRank}`)
  let count = 1n
  for (const dim of shape) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) bad(`${where}: invalid dimension ${String(dim)}`)
    count *= BigInt(dim)
    if (count > BigInt(Number.MAX_SAFE_INTEGER)) bad(`${where}: byte size overflow`)
  }
  return Number(count)
}

/** Decoded bytes a tensor will take: BYTES elements are counted at 8 bytes (a reference) each. */
function decodedBytes(count: number, datatype: Datatype): number {
  return count * Math.max(8, DATATYPES[datatype].size)
}

/** The request-wide caps: decoded bytes in total and BYTES elements, from declared shapes alone. */
function checkTotals(inputs: TensorHead[], limits: CodecLimits): void {
  let bytes = 0
  let strings = 0
  for (const input of inputs) {
    const size = decodedBytes(input.count, input.datatype)
    if (size > limits.maxTensorBytes) bad(`input '${input.name}': declared size exceeds the ${limits.maxTensorBytes}-byte limit`)
    bytes += size
    if (input.datatype === 'BYTES') strings += input.count
  }
  if (bytes > limits.maxTensorBytes) bad(`the inputs' declared sizes add up to more than the ${limits.maxTensorBytes}-byte limit`)
  if (strings > limits.maxBytesElements) bad(`more than ${limits.maxBytesElements} BYTES elements in one request`)
}

async function decodeBinary(body: Buffer, head: TensorHead): Promise<TensorData> {
  const { datatype, count, name } = head
  const where = `input '${name}'`
  const bytes = body.subarray(head.source.start, head.source.end)
  if (datatype === 'BYTES') {
    const out: string[] = []
    let at = 0
    let nextYield = SLICE_BYTES
    const decoder = new TextDecoder('utf-8', { fatal: true })
    while (at < bytes.length) {
      if (at + 4 > bytes.length) bad(`${where}: truncated BYTES element`)
      if (out.length >= count) bad(`${where}: more BYTES elements than the shape holds (${count})`)
      const length = bytes.readUInt32LE(at)
      if (at + 4 + length > bytes.length) bad(`${where}: BYTES element overruns its data`)
      try {
        out.push(decoder.decode(bytes.subarray(at + 4, at + 4 + length)))
      } catch {
        bad(`${where}: BYTES element is not UTF-8`)
      }
      at += 4 + length
      // Each element costs a call however short it is: count them as 64 bytes of work.
      if (at + 64 * out.length >= nextYield) {
        await yieldToLoop()
        nextYield = at + 64 * out.length + SLICE_BYTES
      }
    }
    if (out.length !== count) bad(`${where}: ${out.length} BYTES elements given, shape holds ${count}`)
    return out
  }
  const info = DATATYPES[datatype]
  if (bytes.length !== count * info.size) bad(`${where}: ${bytes.length} bytes given, shape needs ${count * info.size}`)
  const target = info.make(count) as TypedArray
  // Node Buffers may be unaligned for the element size: copy the bytes rather than viewing them, a slice at a time.
  const view = new Uint8Array(target.buffer)
  for (let at = 0; at < bytes.length; at += SLICE_BYTES * 16) {
    if (at > 0) await yieldToLoop()
    const part = bytes.subarray(at, at + SLICE_BYTES * 16)
    if (datatype === 'BOOL' && part.some((b) => b > 1)) bad(`${where}: BOOL bytes must be 0 or 1`)
    view.set(part, at)
  }
  return target
}

function parseOutputs(json: unknown, binaryDefault: boolean, limits: CodecLimits): RequestedOutput[] | undefined {
  if (json === undefined) return undefined
  if (!Array.isArray(json)) bad('outputs must be an array')
  if (json.length > limits.maxTensors) bad(`more than ${limits.maxTensors} outputs requested`)
  const seen = new Set<string>()
  return json.map((o: unknown) => {
    if (!isRecord(o) || typeof o['name'] !== 'string') bad('each requested output needs a name')
    const name = o['name']
    if (seen.has(name)) bad(`output '${name}' requested twice`)
    seen.add(name)
    const params = isRecord(o['parameters']) ? o['parameters'] : {}
    const binary = typeof params['binary_data'] === 'boolean' ? params['binary_data'] : binaryDefault
    return { name, binary }
  })
}

/**
 * Reads an infer body's header: every input's name, datatype, shape and where its data lies, with no
 * tensor data decoded. `headerLength` is the Inference-Header-Content-Length value (undefined for plain
 * JSON). `raw` describes the single input a raw binary body (header length 0) stands for.
 */
export async function parseInferHead(
  body: Buffer,
  headerLength: number | undefined,
  limits: CodecLimits,
  raw?: () => { name: string; datatype: Datatype; shape: number[] },
): Promise<InferHead> {
  if (headerLength === 0) {
    if (!raw) bad('a raw binary request needs a model with exactly one fixed-shape input')
    const input = raw()
    const count = elementCount(input.shape, limits.maxRank, `input '${input.name}'`)
    return { inputs: [{ ...input, count, source: { kind: 'binary' as const, start: 0, end: body.length } }], binaryDefault: true }
  }
  const jsonEnd = headerLength ?? body.length
  if (!Number.isSafeInteger(jsonEnd) || jsonEnd < 0 || jsonEnd > body.length) {
    bad('Inference-Header-Content-Length is out of range')
  }
  const { json, spans } = await jsonSkeleton(body.subarray(0, jsonEnd), limits.maxJsonDepth, limits.maxRank)
  if (!isRecord(json)) bad('the request must be a JSON object')
  const params = isRecord(json['parameters']) ? json['parameters'] : {}
  const binaryDefault = params['binary_data_output'] === true
  if (json['id'] !== undefined && typeof json['id'] !== 'string') bad('id must be a string')
  const inputsJson = json['inputs']
  if (!Array.isArray(inputsJson) || inputsJson.length === 0) bad('inputs must be a non-empty array')
  if (inputsJson.length > limits.maxTensors) bad(`more than ${limits.maxTensors} inputs`)
  let offset = jsonEnd
  const names = new Set<string>()
  const inputs = inputsJson.map((item: unknown, index): TensorHead => {
    if (!isRecord(item) || typeof item['name'] !== 'string') bad('each input needs a name')
    const name = item['name']
    const where = `input '${name}'`
    if (names.has(name)) bad(`${where} given twice`)
    names.add(name)
    const datatype = item['datatype']
    if (!isDatatype(datatype)) bad(`${where}: unsupported datatype ${JSON.stringify(datatype)}`)
    const count = elementCount(item['shape'], limits.maxRank, where)
    const shape = item['shape'] as number[]
    const inputParams = isRecord(item['parameters']) ? item['parameters'] : {}
    const binarySize = inputParams['binary_data_size']
    if (binarySize !== undefined) {
      if (typeof binarySize !== 'number' || !Number.isSafeInteger(binarySize) || binarySize < 0) {
        bad(`${where}: invalid binary_data_size`)
      }
      if (offset + binarySize > body.length) bad(`${where}: binary_data_size runs past the end of the body`)
      const source = { kind: 'binary' as const, start: offset, end: offset + binarySize }
      offset += binarySize
      return { name, datatype, shape, count, source }
    }
    const span = spans.get(index)
    if (!span) bad(`${where}: no data`)
    return { name, datatype, shape, count, source: { kind: 'json', start: span[0], end: span[1] } }
  })
  if (offset !== body.length) bad(`${body.length - offset} bytes of binary data are not claimed by any input`)
  const head: InferHead = { inputs, binaryDefault }
  const outputs = parseOutputs(json['outputs'], binaryDefault, limits)
  if (outputs) head.outputs = outputs
  if (typeof json['id'] === 'string') head.id = json['id']
  return head
}

/**
 * Decodes the tensor data of a checked header, in slices that leave the event loop to other requests,
 * after the request-wide caps (for models whose dims leave the size open).
 */
export async function decodeInputs(body: Buffer, head: InferHead, limits: CodecLimits): Promise<InferRequest> {
  checkTotals(head.inputs, limits)
  const inputs: Tensor[] = []
  for (const input of head.inputs) {
    const { name, datatype, shape, count, source } = input
    const data =
      source.kind === 'binary'
        ? await decodeBinary(body, input)
        : await readJsonData(body, [source.start, source.end], datatype, count, `input '${name}'`)
    inputs.push({ name, datatype, shape, data })
  }
  const { inputs: _heads, ...rest } = head
  return { ...rest, inputs }
}

/** parseInferHead then decodeInputs, for callers with nothing to check in between. */
export async function parseInferRequest(
  body: Buffer,
  headerLength: number | undefined,
  limits: CodecLimits,
  raw?: () => { name: string; datatype: Datatype; shape: number[] },
): Promise<InferRequest> {
  return decodeInputs(body, await parseInferHead(body, headerLength, limits, raw), limits)
}

/**
 * An output as JSON values. JSON has no NaN or Infinity (JSON.stringify would send null, silently): such
 * an output is refused with 400, as FP16 is, and binary_data carries it exactly.
 */
function jsonData(tensor: Tensor): unknown[] {
  const { data, datatype } = tensor
  if (Array.isArray(data)) return data
  if (datatype === 'BOOL') return Array.from(data as Uint8Array, (b) => b !== 0)
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Array.from(data, Number)
  const values = Array.from(data as Float32Array)
  if (datatype === 'FP32' || datatype === 'FP64') {
    const at = values.findIndex((v) => !Number.isFinite(v))
    if (at >= 0) bad(`output '${tensor.name}' holds ${String(values[at])} at element ${at}, which JSON cannot carry: request it with binary_data`)
  }
  return values
}

function binaryBytes(tensor: Tensor): Uint8Array {
  const { data } = tensor
  if (!Array.isArray(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const encoded = data.map((s) => Buffer.from(s, 'utf8'))
  const out = Buffer.alloc(encoded.reduce((n, b) => n + 4 + b.length, 0))
  let at = 0
  for (const b of encoded) {
    out.writeUInt32LE(b.length, at)
    b.copy(out, at + 4)
    at += 4 + b.length
  }
  return out
}

export interface EncodedResponse {
  body: Buffer
  /** Set when binary outputs follow the JSON header. */
  headerLength?: number
}

export function encodeInferResponse(
  meta: { modelName: string; modelVersion: string; id?: string },
  outputs: { tensor: Tensor; binary: boolean }[],
): EncodedResponse {
  const blobs: Uint8Array[] = []
  const outputsJson = outputs.map(({ tensor, binary }) => {
    const head = { name: tensor.name, datatype: tensor.datatype, shape: tensor.shape }
    if (binary) {
      const bytes = binaryBytes(tensor)
      blobs.push(bytes)
      return { ...head, parameters: { binary_data_size: bytes.length } }
    }
    if (tensor.datatype === 'FP16') bad(`output '${tensor.name}' is FP16: request it with binary_data`)
    return { ...head, data: jsonData(tensor) }
  })
  const header = Buffer.from(
    JSON.stringify({
      model_name: meta.modelName,
      model_version: meta.modelVersion,
      ...(meta.id !== undefined ? { id: meta.id } : {}),
      outputs: outputsJson,
    }),
  )
  if (blobs.length === 0) return { body: header }
  return { body: Buffer.concat([header, ...blobs]), headerLength: header.length }
}
