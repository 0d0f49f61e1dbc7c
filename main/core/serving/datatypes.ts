// The tensor datatypes of the Open Inference Protocol, with their Triton config names, their ONNX Runtime
// names and their sizes. BF16 is left out: onnxruntime-node has no tensor type for it.
import type { Tensor } from 'onnxruntime-node'

export type Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES'

export type TypedArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array

interface DatatypeInfo {
  ort: Tensor.Type
  /** Bytes per element; 0 for BYTES, whose elements carry their own length. */
  size: number
  make: (length: number) => TypedArray | string[]
  integer?: { min: number; max: number }
}

export const DATATYPES: Record<Datatype, DatatypeInfo> = {
  BOOL: { ort: 'bool', size: 1, make: (n) => new Uint8Array(n) },
  UINT8: { ort: 'uint8', size: 1, make: (n) => new Uint8Array(n), integer: { min: 0, max: 255 } },
  UINT16: { ort: 'uint16', size: 2, make: (n) => new Uint16Array(n), integer: { min: 0, max: 65535 } },
  UINT32: { ort: 'uint32', size: 4, make: (n) => new Uint32Array(n), integer: { min: 0, max: 2 ** 32 - 1 } },
  UINT64: { ort: 'uint64', size: 8, make: (n) => new BigUint64Array(n), integer: { min: 0, max: Number.MAX_SAFE_INTEGER } },
  INT8: { ort: 'int8', size: 1, make: (n) => new Int8Array(n), integer: { min: -128, max: 127 } },
  INT16: { ort: 'int16', size: 2, make: (n) => new Int16Array(n), integer: { min: -32768, max: 32767 } },
  INT32: { ort: 'int32', size: 4, make: (n) => new Int32Array(n), integer: { min: -(2 ** 31), max: 2 ** 31 - 1 } },
  INT64: {
    ort: 'int64',
    size: 8,
    make: (n) => new BigInt64Array(n),
    integer: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  },
  FP16: { ort: 'float16', size: 2, make: (n) => new Uint16Array(n) },
  FP32: { ort: 'float32', size: 4, make: (n) => new Float32Array(n) },
  FP64: { ort: 'float64', size: 8, make: (n) => new Float64Array(n) },
  BYTES: { ort: 'string', size: 0, make: (n) => new Array<string>(n).fill('') },
}

export function isDatatype(value: unknown): value is Datatype {
  return typeof value === 'string' && Object.hasOwn(DATATYPES, value)
}

const FROM_ORT = new Map<string, Datatype>(
  (Object.entries(DATATYPES) as [Datatype, DatatypeInfo][]).map(([name, info]) => [info.ort, name]),
)

export function datatypeFromOrt(type: string): Datatype | undefined {
  return FROM_ORT.get(type)
}

/** Triton's config names (`TYPE_FP32`); BYTES is `TYPE_STRING` there. */
export function configTypeOf(datatype: Datatype): string {
  return datatype === 'BYTES' ? 'TYPE_STRING' : `TYPE_${datatype}`
}

export function datatypeOfConfigType(configType: string): Datatype | undefined {
  if (configType === 'TYPE_STRING') return 'BYTES'
  const name = configType.startsWith('TYPE_') ? configType.slice(5) : ''
  return isDatatype(name) && name !== 'BYTES' ? name : undefined
}
