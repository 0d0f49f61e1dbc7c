// Inference request and response bodies of the Open Inference Protocol: JSON tensors and the binary tensor
// extension. Every size is checked against the declared shape, in BigInt, before anything is allocated.
import { DATATYPES, isDatatype, type Datatype, type TypedArray } from './datatypes'
import { HttpError } from './http-error'
import { parseJsonLimited } from './json-guard'

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
  /** Largest tensor, in bytes once decoded (guards against INT8 data declared as INT64). */
  maxTensorBytes: number
  maxJsonDepth: number
  maxRank: number
  maxTensors: number
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

function checkBytes(count: number, datatype: Datatype, limits: CodecLimits, where: string): void {
  const bytes = BigInt(count) * BigInt(Math.max(1, DATATYPES[datatype].size))
  if (bytes > BigInt(limits.maxTensorBytes)) bad(`${where}: declared size exceeds the ${limits.maxTensorBytes}-byte limit`)
}

function flatten(data: unknown, count: number, where: string): unknown[] {
  if (!Array.isArray(data)) return count === 1 ? [data] : bad(`${where}: data must be an array`)
  const out: unknown[] = []
  const stack: unknown[][] = [data]
  const positions = [0]
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    const at = positions[positions.length - 1]!
    if (at >= top.length) {
      stack.pop()
      positions.pop()
      continue
    }
    positions[positions.length - 1] = at + 1
    const item = top[at]
    if (Array.isArray(item)) {
      stack.push(item)
      positions.push(0)
    } else {
      if (out.length >= count) bad(`${where}: more elements than the shape holds (${count})`)
      out.push(item)
    }
  }
  if (out.length !== count) bad(`${where}: ${out.length} elements given, shape holds ${count}`)
  return out
}

function fillFromJson(values: unknown[], datatype: Datatype, where: string): TensorData {
  const info = DATATYPES[datatype]
  if (datatype === 'FP16') bad(`${where}: FP16 is only accepted as binary data`)
  if (datatype === 'BYTES') {
    return values.map((v) => (typeof v === 'string' ? v : bad(`${where}: BYTES elements must be strings`)))
  }
  const target = info.make(values.length) as TypedArray
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (datatype === 'BOOL') {
      if (typeof v !== 'boolean') bad(`${where}: BOOL elements must be true or false`)
      ;(target as Uint8Array)[i] = v ? 1 : 0
      continue
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      // JSON has no NaN or Infinity; everything else that is not a number is a client error.
      bad(`${where}: element ${i} is not a number`)
    }
    if (info.integer && (!Number.isInteger(v) || v < info.integer.min || v > info.integer.max)) {
      bad(`${where}: element ${i} is not a valid ${datatype}`)
    }
    if (target instanceof BigInt64Array || target instanceof BigUint64Array) target[i] = BigInt(v)
    else target[i] = v
  }
  return target
}

function decodeBinary(bytes: Uint8Array, datatype: Datatype, count: number, where: string): TensorData {
  if (datatype === 'BYTES') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const out: string[] = []
    let at = 0
    const decoder = new TextDecoder('utf-8', { fatal: true })
    while (at < bytes.length) {
      if (at + 4 > bytes.length) bad(`${where}: truncated BYTES element`)
      const length = view.getUint32(at, true)
      if (at + 4 + length > bytes.length) bad(`${where}: BYTES element overruns its data`)
      try {
        out.push(decoder.decode(bytes.subarray(at + 4, at + 4 + length)))
      } catch {
        bad(`${where}: BYTES element is not UTF-8`)
      }
      at += 4 + length
    }
    if (out.length !== count) bad(`${where}: ${out.length} BYTES elements given, shape holds ${count}`)
    return out
  }
  const info = DATATYPES[datatype]
  if (bytes.length !== count * info.size) bad(`${where}: ${bytes.length} bytes given, shape needs ${count * info.size}`)
  const target = info.make(count) as TypedArray
  // Node Buffers may be unaligned for the element size: copy the bytes rather than viewing them.
  new Uint8Array(target.buffer).set(bytes)
  if (datatype === 'BOOL' && (target as Uint8Array).some((b) => b > 1)) bad(`${where}: BOOL bytes must be 0 or 1`)
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
 * Parses an infer body. `headerLength` is the Inference-Header-Content-Length value (undefined for plain
 * JSON). `raw` describes the single input a raw binary body (header length 0) stands for.
 */
export function parseInferRequest(
  body: Buffer,
  headerLength: number | undefined,
  limits: CodecLimits,
  raw?: () => { name: string; datatype: Datatype; shape: number[] },
): InferRequest {
  if (headerLength === 0) {
    if (!raw) bad('a raw binary request needs a model with exactly one fixed-shape input')
    const input = raw()
    const count = elementCount(input.shape, limits.maxRank, `input '${input.name}'`)
    checkBytes(count, input.datatype, limits, `input '${input.name}'`)
    return { inputs: [{ ...input, data: decodeBinary(body, input.datatype, count, `input '${input.name}'`) }], binaryDefault: true }
  }
  const jsonEnd = headerLength ?? body.length
  if (!Number.isSafeInteger(jsonEnd) || jsonEnd < 0 || jsonEnd > body.length) {
    bad('Inference-Header-Content-Length is out of range')
  }
  const json = parseJsonLimited(body.subarray(0, jsonEnd), limits.maxJsonDepth)
  if (!isRecord(json)) bad('the request must be a JSON object')
  const params = isRecord(json['parameters']) ? json['parameters'] : {}
  const binaryDefault = params['binary_data_output'] === true
  if (json['id'] !== undefined && typeof json['id'] !== 'string') bad('id must be a string')
  const inputsJson = json['inputs']
  if (!Array.isArray(inputsJson) || inputsJson.length === 0) bad('inputs must be a non-empty array')
  if (inputsJson.length > limits.maxTensors) bad(`more than ${limits.maxTensors} inputs`)
  let offset = jsonEnd
  const names = new Set<string>()
  const inputs = inputsJson.map((item: unknown): Tensor => {
    if (!isRecord(item) || typeof item['name'] !== 'string') bad('each input needs a name')
    const name = item['name']
    const where = `input '${name}'`
    if (names.has(name)) bad(`${where} given twice`)
    names.add(name)
    const datatype = item['datatype']
    if (!isDatatype(datatype)) bad(`${where}: unsupported datatype ${JSON.stringify(datatype)}`)
    const count = elementCount(item['shape'], limits.maxRank, where)
    checkBytes(count, datatype, limits, where)
    const shape = item['shape'] as number[]
    const inputParams = isRecord(item['parameters']) ? item['parameters'] : {}
    const binarySize = inputParams['binary_data_size']
    if (binarySize !== undefined) {
      if (typeof binarySize !== 'number' || !Number.isSafeInteger(binarySize) || binarySize < 0) {
        bad(`${where}: invalid binary_data_size`)
      }
      if (offset + binarySize > body.length) bad(`${where}: binary_data_size runs past the end of the body`)
      const data = decodeBinary(body.subarray(offset, offset + binarySize), datatype, count, where)
      offset += binarySize
      return { name, datatype, shape, data }
    }
    if (item['data'] === undefined) bad(`${where}: no data`)
    return { name, datatype, shape, data: fillFromJson(flatten(item['data'], count, where), datatype, where) }
  })
  if (offset !== body.length) bad(`${body.length - offset} bytes of binary data are not claimed by any input`)
  const request: InferRequest = { inputs, binaryDefault }
  const outputs = parseOutputs(json['outputs'], binaryDefault, limits)
  if (outputs) request.outputs = outputs
  if (typeof json['id'] === 'string') request.id = json['id']
  return request
}

function jsonData(tensor: Tensor): unknown[] {
  const { data, datatype } = tensor
  if (Array.isArray(data)) return data
  if (datatype === 'BOOL') return Array.from(data as Uint8Array, (b) => b !== 0)
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Array.from(data, Number)
  return Array.from(data as Float32Array)
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
