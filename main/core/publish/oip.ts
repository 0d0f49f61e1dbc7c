// Open Inference Protocol calls the publish clients make: an infer request in the binary tensor extension
// (every numeric type, float16 included, goes through unchanged), its response decoded to typed arrays,
// and the comparison of a target's outputs with the local run.
import { DATATYPES, datatypeFromOrt, type Datatype } from '../serving/datatypes'
import type { Feed, HostTensor } from '../data/load-tensors'
import { float16ArrayToFloat32 } from '../onnx/float16'
import type { TensorArray } from '../onnx/tensor-data'
import { TargetError } from './http-client'

export interface EncodedInfer {
  readonly body: Uint8Array
  readonly headerLength: number
}

function bytesOf(data: TensorArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

export function encodeInferRequest(feed: Feed): EncodedInfer {
  const inputs = Object.entries(feed).map(([name, tensor]) => {
    const datatype = datatypeFromOrt(tensor.dtype)
    if (!datatype || datatype === 'BYTES') throw new TargetError('rejected', `input '${name}' of type ${tensor.dtype} cannot be sent in a smoke test`)
    return { name, shape: [...tensor.dims], datatype, parameters: { binary_data_size: tensor.data.byteLength } }
  })
  const header = Buffer.from(JSON.stringify({ inputs, parameters: { binary_data_output: true } }))
  const body = Buffer.concat([header, ...Object.values(feed).map((t) => bytesOf(t.data))])
  return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), headerLength: header.length }
}

interface ResponseOutput {
  name: string
  shape: number[]
  datatype: string
  parameters?: { binary_data_size?: number }
  data?: number[]
}

/** Decodes a binary-extension (or plain JSON) infer response into host tensors by output name. */
export function decodeInferResponse(bytes: Uint8Array, headerLength: number | undefined): Record<string, HostTensor> {
  const headerBytes = headerLength === undefined ? bytes : bytes.subarray(0, headerLength)
  let header: { outputs?: ResponseOutput[] }
  try {
    header = JSON.parse(Buffer.from(headerBytes).toString('utf8')) as { outputs?: ResponseOutput[] }
  } catch {
    throw new TargetError('server', 'the infer response is not valid JSON')
  }
  const out: Record<string, HostTensor> = {}
  let offset = headerLength ?? bytes.length
  for (const output of header.outputs ?? []) {
    const datatype = output.datatype as Datatype
    const info = DATATYPES[datatype]
    if (!info || info.size === 0) throw new TargetError('server', `output '${output.name}' has type ${output.datatype}, which the smoke test cannot compare`)
    const count = output.shape.reduce((a, b) => a * b, 1)
    const size = output.parameters?.binary_data_size
    let data: TensorArray
    if (size !== undefined) {
      if (size !== count * info.size || offset + size > bytes.length) throw new TargetError('server', `output '${output.name}' has a malformed binary size`)
      const copy = new Uint8Array(size)
      copy.set(bytes.subarray(offset, offset + size))
      offset += size
      const Ctor = (info.make(0) as TensorArray).constructor as new (buffer: ArrayBuffer) => TensorArray
      data = new Ctor(copy.buffer)
    } else {
      const made = info.make(count) as TensorArray
      ;(output.data ?? []).forEach((v, i) => ((made as Float32Array)[i] = Number(v)))
      data = made
    }
    out[output.name] = { dtype: info.ort, dims: output.shape, data }
  }
  return out
}

export function toFloats(tensor: HostTensor): Float64Array {
  if (tensor.dtype === 'float16') return Float64Array.from(float16ArrayToFloat32(tensor.data as Uint16Array))
  if (tensor.data instanceof BigInt64Array || tensor.data instanceof BigUint64Array) return Float64Array.from(tensor.data, Number)
  return Float64Array.from(tensor.data as ArrayLike<number>)
}

export interface OutputComparison {
  readonly maxAbsDiff: number
  readonly passed: boolean
  readonly problem?: string
}

/**
 * The target's outputs against the local ones: same names and shapes, and values within a tolerance that
 * allows for kernel differences between builds (1e-3 relative to the output's own scale).
 */
export function compareOutputs(local: Readonly<Record<string, HostTensor>>, remote: Readonly<Record<string, HostTensor>>): OutputComparison {
  let maxAbsDiff = 0
  for (const [name, expected] of Object.entries(local)) {
    const got = remote[name]
    if (!got) return { maxAbsDiff: Infinity, passed: false, problem: `the target returned no output '${name}'` }
    if (got.dims.join(',') !== expected.dims.join(','))
      return { maxAbsDiff: Infinity, passed: false, problem: `output '${name}' has shape [${got.dims.join(',')}] on the target, [${expected.dims.join(',')}] locally` }
    const a = toFloats(expected)
    const b = toFloats(got)
    let scale = 1
    let worst = 0
    for (let i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]!))
      const diff = Math.abs(a[i]! - b[i]!)
      worst = Number.isNaN(diff) ? (Number.isNaN(a[i]!) && Number.isNaN(b[i]!) ? worst : Infinity) : Math.max(worst, diff)
    }
    maxAbsDiff = Math.max(maxAbsDiff, worst)
    if (worst > 1e-3 * scale)
      return { maxAbsDiff, passed: false, problem: `output '${name}' differs from the local run by up to ${worst.toPrecision(3)}` }
  }
  return { maxAbsDiff, passed: true }
}
