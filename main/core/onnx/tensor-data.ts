// TensorProto <-> typed arrays, for every element type ONNX Runtime uses. Reading prefers views into
// raw_data (no copy) and checks the declared element count against the bytes present before allocating,
// so a header that declares a 1e12-element tensor is refused rather than attempted.
import { constants as bufferConstants } from 'node:buffer'
import Long from 'long'
import { DataType, type Int64, type TensorProto } from './onnx-types'
import { formatBytes } from '../../../preload/format'

/** A tensor's contents does not match its header; callers wrap it in a FileError naming the model. */
export class TensorDataError extends Error {
  override name = 'TensorDataError'
}

export type TensorArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array

type ArrayConstructorOf = {
  new (length: number): TensorArray
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorArray
  readonly BYTES_PER_ELEMENT: number
}

/** Which TensorProto repeated field holds the values when raw_data is not used (onnx.proto comments). */
type TypedField = 'floatData' | 'int32Data' | 'int64Data' | 'doubleData' | 'uint64Data' | 'stringData'

export interface DtypeInfo {
  readonly code: number
  /** ONNX Runtime's name for the type (what `ort.Tensor.type` says). */
  readonly name: string
  /** Storage bits per element (4 for packed int4, 64 for complex64); 0 for strings. */
  readonly bits: number
  /** Typed array holding the stored values (float16 as its bit patterns in a Uint16Array). */
  readonly array?: ArrayConstructorOf
  readonly field: TypedField
}

const dtypeList: readonly DtypeInfo[] = [
  { code: DataType.FLOAT, name: 'float32', bits: 32, array: Float32Array, field: 'floatData' },
  { code: DataType.UINT8, name: 'uint8', bits: 8, array: Uint8Array, field: 'int32Data' },
  { code: DataType.INT8, name: 'int8', bits: 8, array: Int8Array, field: 'int32Data' },
  { code: DataType.UINT16, name: 'uint16', bits: 16, array: Uint16Array, field: 'int32Data' },
  { code: DataType.INT16, name: 'int16', bits: 16, array: Int16Array, field: 'int32Data' },
  { code: DataType.INT32, name: 'int32', bits: 32, array: Int32Array, field: 'int32Data' },
  { code: DataType.INT64, name: 'int64', bits: 64, array: BigInt64Array, field: 'int64Data' },
  { code: DataType.STRING, name: 'string', bits: 0, field: 'stringData' },
  { code: DataType.BOOL, name: 'bool', bits: 8, array: Uint8Array, field: 'int32Data' },
  { code: DataType.FLOAT16, name: 'float16', bits: 16, array: Uint16Array, field: 'int32Data' },
  { code: DataType.DOUBLE, name: 'float64', bits: 64, array: Float64Array, field: 'doubleData' },
  { code: DataType.UINT32, name: 'uint32', bits: 32, array: Uint32Array, field: 'uint64Data' },
  { code: DataType.UINT64, name: 'uint64', bits: 64, array: BigUint64Array, field: 'uint64Data' },
  { code: DataType.COMPLEX64, name: 'complex64', bits: 64, array: Float32Array, field: 'floatData' },
  { code: DataType.COMPLEX128, name: 'complex128', bits: 128, array: Float64Array, field: 'doubleData' },
  { code: DataType.BFLOAT16, name: 'bfloat16', bits: 16, array: Uint16Array, field: 'int32Data' },
  { code: DataType.FLOAT8E4M3FN, name: 'float8e4m3fn', bits: 8, array: Uint8Array, field: 'int32Data' },
  { code: DataType.FLOAT8E4M3FNUZ, name: 'float8e4m3fnuz', bits: 8, array: Uint8Array, field: 'int32Data' },
  { code: DataType.FLOAT8E5M2, name: 'float8e5m2', bits: 8, array: Uint8Array, field: 'int32Data' },
  { code: DataType.FLOAT8E5M2FNUZ, name: 'float8e5m2fnuz', bits: 8, array: Uint8Array, field: 'int32Data' },
  { code: DataType.UINT4, name: 'uint4', bits: 4, array: Uint8Array, field: 'int32Data' },
  { code: DataType.INT4, name: 'int4', bits: 4, array: Uint8Array, field: 'int32Data' },
  { code: DataType.FLOAT4E2M1, name: 'float4e2m1', bits: 4, array: Uint8Array, field: 'int32Data' },
]

const byCode = new Map(dtypeList.map((info) => [info.code, info]))
const byName = new Map(dtypeList.map((info) => [info.name, info]))

export function dtypeInfo(code: number | undefined): DtypeInfo | undefined {
  return byCode.get(code ?? 0)
}

/** ONNX Runtime's name for an element type ('float32', 'int64', ...), or `unknown(N)`. */
export function dtypeName(code: number | undefined): string {
  return dtypeInfo(code)?.name ?? `unknown(${code ?? 0})`
}

export function dtypeCode(name: string): number {
  const info = byName.get(name)
  if (!info) throw new TensorDataError(`unknown element type '${name}'`)
  return info.code
}

/** The largest buffer this Node can allocate: tensors beyond it cannot be held, whatever the file says. */
export const maxTensorBytes: number = bufferConstants.MAX_LENGTH

/** Product of dims, refusing negative, fractional or overflowing values (dims may be Long). */
export function elementCount(dims: readonly Int64[] | undefined, what = 'tensor'): number {
  let count = 1
  for (const raw of dims ?? []) {
    const dim = typeof raw === 'number' ? raw : Long.fromValue(raw).toNumber()
    if (!Number.isSafeInteger(dim) || dim < 0) throw new TensorDataError(`${what} has an invalid dimension ${String(raw)}`)
    if (dim !== 0 && count > Number.MAX_SAFE_INTEGER / dim)
      throw new TensorDataError(`${what} declares more elements than can be counted (dims ${formatDims(dims)})`)
    count *= dim
  }
  return count
}

/** Bytes the elements take in raw_data (packed 4-bit types round up); NaN for strings. */
export function storageBytes(dataType: number | undefined, count: number): number {
  const info = dtypeInfo(dataType)
  if (!info || info.bits === 0) return Number.NaN
  return Math.ceil((count * info.bits) / 8)
}

export function hasExternalData(tensor: TensorProto): boolean {
  return tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0
}

function formatDims(dims: readonly Int64[] | undefined): string {
  return `[${(dims ?? []).map(String).join(',')}]`
}

function tensorLabel(tensor: TensorProto): string {
  return tensor.name ? `tensor '${tensor.name}'` : 'an unnamed tensor'
}

/** Values the typed field must hold for `count` elements (complex: two; packed 4-bit: one per byte). */
function typedFieldLength(info: DtypeInfo, count: number): number {
  if (info.code === DataType.COMPLEX64 || info.code === DataType.COMPLEX128) return count * 2
  if (info.bits === 4) return Math.ceil(count / 2)
  return count
}

/**
 * Checks that a tensor's stored data matches its dims and type, without reading it. External tensors
 * are checked against their declared length only (the side file is checked when read).
 */
export function checkTensorData(tensor: TensorProto): void {
  const label = tensorLabel(tensor)
  const info = dtypeInfo(tensor.dataType)
  if (!info) throw new TensorDataError(`${label} has an unknown element type ${tensor.dataType ?? 0}`)
  const count = elementCount(tensor.dims, label)
  const expected = info.bits === 0 ? count : storageBytes(info.code, count)
  if (info.bits !== 0 && expected > maxTensorBytes)
    throw new TensorDataError(
      `${label} declares ${count} elements (${formatBytes(expected)}), more than one tensor can hold here`,
    )
  if (hasExternalData(tensor)) return
  if (info.bits !== 0 && tensor.rawData && tensor.rawData.length > 0) {
    if (tensor.rawData.length !== expected)
      throw new TensorDataError(
        `${label} declares ${count} elements ${formatDims(tensor.dims)} of ${info.name} (${formatBytes(expected)}) but holds ${formatBytes(tensor.rawData.length)}`,
      )
    return
  }
  const present = tensor[info.field]?.length ?? 0
  const needed = info.bits === 0 ? count : typedFieldLength(info, count)
  if (present !== needed)
    throw new TensorDataError(
      `${label} declares ${count} elements ${formatDims(tensor.dims)} of ${info.name} but holds ${present} values`,
    )
}

/**
 * Typed array over `bytes` holding `count` elements of `dataType`: a view when the bytes are aligned for
 * the element size, a copy otherwise. Little-endian, as ONNX stores raw_data.
 */
export function arrayFromBytes(dataType: number | undefined, bytes: Uint8Array, count: number): TensorArray {
  const info = dtypeInfo(dataType)
  if (!info?.array) throw new TensorDataError(`element type ${dtypeName(dataType)} has no typed array form`)
  const expected = storageBytes(info.code, count)
  if (bytes.length !== expected)
    throw new TensorDataError(`expected ${expected} bytes for ${count} ${info.name} elements, found ${bytes.length}`)
  const length = expected / info.array.BYTES_PER_ELEMENT
  if (bytes.byteOffset % info.array.BYTES_PER_ELEMENT === 0) return new info.array(bytes.buffer, bytes.byteOffset, length)
  const copy = new Uint8Array(expected)
  copy.set(bytes)
  return new info.array(copy.buffer, 0, length)
}

/** Readers of external tensors' bytes, bound by external-data-io.ts when a model is opened from its file. */
const externalReaders = new WeakMap<TensorProto, () => Uint8Array>()

/**
 * Lets tensorToArray read `tensor`'s external bytes on demand. Nothing is cached: a big model's weights
 * are read one tensor at a time and dropped after use, so the whole model is never in memory at once.
 */
export function bindExternalReader(tensor: TensorProto, read: () => Uint8Array): void {
  externalReaders.set(tensor, read)
}

/**
 * The values of a tensor: from the model, or, for an external tensor whose model was opened with
 * external-data-io.ts, read from its side file now. Strings are not typed arrays: use tensorStrings.
 */
export function tensorToArray(tensor: TensorProto): TensorArray {
  checkTensorData(tensor)
  const info = dtypeInfo(tensor.dataType)
  if (!info?.array) throw new TensorDataError(`${tensorLabel(tensor)} holds ${dtypeName(tensor.dataType)}, not numbers`)
  const count = elementCount(tensor.dims)
  if (hasExternalData(tensor)) {
    const read = externalReaders.get(tensor)
    if (!read) throw new TensorDataError(`${tensorLabel(tensor)} is stored in an external file that was not opened`)
    return arrayFromBytes(info.code, read(), count)
  }
  if (tensor.rawData && tensor.rawData.length > 0) return arrayFromBytes(info.code, tensor.rawData, count)
  return arrayFromTypedField(info, tensor, count)
}

function arrayFromTypedField(info: DtypeInfo, tensor: TensorProto, count: number): TensorArray {
  const Ctor = info.array as ArrayConstructorOf
  const length = typedFieldLength(info, count)
  const out = new Ctor(length)
  if (info.field === 'int64Data' || info.field === 'uint64Data') {
    const values = tensor[info.field] ?? []
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
      for (let i = 0; i < length; i++) out[i] = BigInt(Long.fromValue(values[i] as Int64).toString())
    } else {
      for (let i = 0; i < length; i++) out[i] = Long.fromValue(values[i] as Int64).toNumber()
    }
    return out
  }
  const values = (tensor[info.field] ?? []) as readonly number[]
  // float16, bfloat16 and float8 keep their bit patterns in int32_data; the typed array keeps them as is.
  for (let i = 0; i < length; i++) (out as Float32Array)[i] = values[i] as number
  return out
}

/** The values of a string tensor, decoded as UTF-8. */
export function tensorStrings(tensor: TensorProto): string[] {
  checkTensorData(tensor)
  if (tensor.dataType !== DataType.STRING) throw new TensorDataError(`${tensorLabel(tensor)} is not a string tensor`)
  const decoder = new TextDecoder()
  return (tensor.stringData ?? []).map((bytes) => decoder.decode(bytes))
}

/**
 * A new TensorProto holding `data` in raw_data (a view, not a copy: do not reuse the array afterwards).
 * `dataType` defaults to what the array implies (Uint16Array must say FLOAT16/BFLOAT16/UINT16 itself).
 */
export function makeTensor(
  name: string,
  dims: readonly number[],
  data: TensorArray | readonly string[],
  dataType?: number,
): TensorProto {
  const count = elementCount(dims, `tensor '${name}'`)
  if (Array.isArray(data)) {
    if (data.length !== count) throw new TensorDataError(`tensor '${name}': ${data.length} strings for ${count} elements`)
    const encoder = new TextEncoder()
    return { name, dims: [...dims], dataType: DataType.STRING, stringData: data.map((s: string) => encoder.encode(s)) }
  }
  const array = data as TensorArray
  const code = dataType ?? impliedDataType(array)
  const expected = storageBytes(code, count)
  if (array.byteLength !== expected)
    throw new TensorDataError(
      `tensor '${name}': ${array.byteLength} bytes of data for ${count} ${dtypeName(code)} elements (${expected} bytes)`,
    )
  return {
    name,
    dims: [...dims],
    dataType: code,
    rawData: new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
  }
}

function impliedDataType(array: TensorArray): number {
  if (array instanceof Float32Array) return DataType.FLOAT
  if (array instanceof Float64Array) return DataType.DOUBLE
  if (array instanceof Int8Array) return DataType.INT8
  if (array instanceof Uint8Array) return DataType.UINT8
  if (array instanceof Int16Array) return DataType.INT16
  if (array instanceof Int32Array) return DataType.INT32
  if (array instanceof Uint32Array) return DataType.UINT32
  if (array instanceof BigInt64Array) return DataType.INT64
  if (array instanceof BigUint64Array) return DataType.UINT64
  throw new TensorDataError('a Uint16Array is float16, bfloat16 or uint16: pass the data type')
}
