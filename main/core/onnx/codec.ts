// Lossless ONNX (de)serialization on protobufjs, driven by the vendored onnx.proto schema.
// Decoding keeps `bytes` fields as views into the input buffer, so big initializers are not copied.
import protobuf from 'protobufjs'
import Long from 'long'
import schema from './onnx-schema.json' with { type: 'json' }
import type { ModelProto, TensorProto } from './onnx-types'

// protobufjs picks up Long only when it is configured; int64 values past 2^53 (INT64_MAX in
// Slice ends, for example) must survive a round trip.
protobuf.util.Long = Long
protobuf.configure()

const root = protobuf.Root.fromJSON(schema)
const ModelType = root.lookupType('onnx.ModelProto')
const TensorType = root.lookupType('onnx.TensorProto')

/** Raised when bytes are not a valid ONNX protobuf message. */
export class OnnxDecodeError extends Error {
  override name = 'OnnxDecodeError'
}

function decodeWith<T>(type: protobuf.Type, bytes: Uint8Array, what: string): T {
  try {
    return type.decode(bytes) as unknown as T
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new OnnxDecodeError(`not a valid ONNX ${what} (${reason})`)
  }
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  return decodeWith<ModelProto>(ModelType, bytes, 'model')
}

export function encodeModel(model: ModelProto): Uint8Array {
  return ModelType.encode(model as protobuf.Message).finish()
}

export function decodeTensor(bytes: Uint8Array): TensorProto {
  return decodeWith<TensorProto>(TensorType, bytes, 'tensor')
}

export function encodeTensor(tensor: TensorProto): Uint8Array {
  return TensorType.encode(tensor as protobuf.Message).finish()
}

/** A plain-object copy of a model (int64 as strings, bytes as base64) for equality checks in tests. */
export function modelToPlainObject(model: ModelProto): Record<string, unknown> {
  return ModelType.toObject(model as protobuf.Message, { longs: String, bytes: String, defaults: false })
}

export function toNumber(value: number | Long | undefined | null): number {
  if (value === undefined || value === null) return 0
  return typeof value === 'number' ? value : value.toNumber()
}
