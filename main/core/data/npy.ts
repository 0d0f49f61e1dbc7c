// NumPy .npy files (format versions 1-3): the header dict ('descr', 'fortran_order', 'shape') and the
// array bytes, read into a typed array of the same element type. Little-endian C-order arrays only; others
// are refused with the reason.
import { FileError } from '../errors'
import { arrayFromBytes, dtypeCode, elementCount, TensorDataError, type TensorArray } from '../onnx/tensor-data'
import { readUserFile } from '../fs/read-user-file'

export interface HostTensor {
  /** ONNX Runtime's name for the element type: 'float32', 'int64', ... */
  readonly dtype: string
  readonly dims: readonly number[]
  readonly data: TensorArray
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY

/** NumPy type codes ('f4', 'i8', ...) to ORT element type names. */
const descrTypes: Readonly<Record<string, string>> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
  b1: 'bool',
}

/** Thrown for bytes that are not a usable .npy; callers name the file. */
export class NpyFormatError extends Error {
  override name = 'NpyFormatError'
}

function headerField(header: string, key: string): string | undefined {
  const match = new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|\\([^)]*\\)|True|False)`).exec(header)
  return match?.[1]
}

/** Parses .npy bytes; the returned array is a view into `bytes` when alignment allows. */
export function parseNpy(bytes: Uint8Array): HostTensor {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw new NpyFormatError('not a NumPy .npy file (no \\x93NUMPY signature)')
  const major = bytes[6] as number
  if (major < 1 || major > 3) throw new NpyFormatError(`unsupported .npy format version ${major}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const headerStart = major === 1 ? 10 : 12
  if (headerStart + headerLength > bytes.length) throw new NpyFormatError('the .npy header is truncated')
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength))
  const descr = headerField(header, 'descr')?.slice(1, -1)
  const fortran = headerField(header, 'fortran_order')
  const shapeText = headerField(header, 'shape')
  if (!descr || !fortran || !shapeText) throw new NpyFormatError('the .npy header lacks descr, fortran_order or shape')
  if (fortran === 'True') throw new NpyFormatError('Fortran-order arrays are not supported: save it with np.ascontiguousarray')
  const order = descr[0] as string
  const code = descr.slice(1)
  const dtype = descrTypes[code]
  if (!dtype) throw new NpyFormatError(`element type '${descr}' is not supported (numbers and bools only)`)
  if (order === '>' && code !== 'i1' && code !== 'u1' && code !== 'b1')
    throw new NpyFormatError(`big-endian arrays ('${descr}') are not supported: save it with .astype('<${code}')`)
  const dims = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number)
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new NpyFormatError(`invalid shape ${shapeText}`)
  let count: number
  try {
    count = elementCount(dims, 'the array')
  } catch (error) {
    if (error instanceof TensorDataError) throw new NpyFormatError(error.message)
    throw error
  }
  const dataStart = headerStart + headerLength
  const size = count * Number(code.slice(1))
  if (!Number.isSafeInteger(size)) throw new NpyFormatError(`shape ${shapeText} is too large (over 2^53 bytes)`)
  if (bytes.length - dataStart < size)
    throw new NpyFormatError(`the file is truncated: shape ${shapeText} needs ${size} bytes of data, found ${bytes.length - dataStart}`)
  const data = arrayFromBytes(dtypeCode(dtype), bytes.subarray(dataStart, dataStart + size), count)
  return { dtype, dims, data }
}

export async function readNpy(path: string): Promise<HostTensor> {
  const bytes = await readUserFile(path)
  try {
    return parseNpy(bytes)
  } catch (error) {
    if (error instanceof NpyFormatError) throw new FileError(path, error.message)
    throw error
  }
}

const typeDescrs = Object.fromEntries(Object.entries(descrTypes).map(([k, v]) => [v, k]))

/** .npy bytes (format 1.0) for a tensor: used by tests and by tools that write data sets. */
export function encodeNpy(tensor: HostTensor): Uint8Array {
  const code = typeDescrs[tensor.dtype]
  if (!code) throw new NpyFormatError(`cannot write element type ${tensor.dtype} to .npy`)
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`
  let header = `{'descr': '${code === 'i1' || code === 'u1' || code === 'b1' ? '|' : '<'}${code}', 'fortran_order': False, 'shape': ${shape}, }`
  const unpadded = 10 + header.length + 1
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const data = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength)
  const out = new Uint8Array(10 + header.length + data.length)
  out.set(MAGIC)
  out[6] = 1
  out[7] = 0
  new DataView(out.buffer).setUint16(8, header.length, true)
  out.set(new TextEncoder().encode(header), 10)
  out.set(data, 10 + header.length)
  return out
}
