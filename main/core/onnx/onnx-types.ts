// TypeScript shapes of the ONNX messages the engine touches, as protobufjs decodes them
// (camelCase field names; int64 fields are numbers when small and Long otherwise).
import type Long from 'long'

export type Int64 = number | Long

export interface StringStringEntryProto {
  key?: string
  value?: string
}

export interface OperatorSetIdProto {
  domain?: string
  version?: Int64
}

export interface TensorShapeDimension {
  dimValue?: Int64
  dimParam?: string
  denotation?: string
}

export interface TypeProto {
  tensorType?: { elemType?: number; shape?: { dim?: TensorShapeDimension[] } }
  sequenceType?: { elemType?: TypeProto }
  mapType?: { keyType?: number; valueType?: TypeProto }
  optionalType?: { elemType?: TypeProto }
  sparseTensorType?: { elemType?: number; shape?: { dim?: TensorShapeDimension[] } }
  denotation?: string
}

export interface ValueInfoProto {
  name?: string
  type?: TypeProto
  docString?: string
  metadataProps?: StringStringEntryProto[]
}

export interface TensorProto {
  dims?: Int64[]
  dataType?: number
  segment?: { begin?: Int64; end?: Int64 }
  floatData?: number[]
  int32Data?: number[]
  stringData?: Uint8Array[]
  int64Data?: Int64[]
  name?: string
  docString?: string
  rawData?: Uint8Array
  externalData?: StringStringEntryProto[]
  dataLocation?: number
  doubleData?: number[]
  uint64Data?: Int64[]
  metadataProps?: StringStringEntryProto[]
}

export interface SparseTensorProto {
  values?: TensorProto
  indices?: TensorProto
  dims?: Int64[]
}

export interface AttributeProto {
  name?: string
  refAttrName?: string
  docString?: string
  type?: number
  f?: number
  i?: Int64
  s?: Uint8Array
  t?: TensorProto
  g?: GraphProto
  sparseTensor?: SparseTensorProto
  tp?: TypeProto
  floats?: number[]
  ints?: Int64[]
  strings?: Uint8Array[]
  tensors?: TensorProto[]
  graphs?: GraphProto[]
  sparseTensors?: SparseTensorProto[]
  typeProtos?: TypeProto[]
}

export interface NodeProto {
  input?: string[]
  output?: string[]
  name?: string
  opType?: string
  domain?: string
  overload?: string
  attribute?: AttributeProto[]
  docString?: string
  metadataProps?: StringStringEntryProto[]
}

export interface GraphProto {
  node?: NodeProto[]
  name?: string
  initializer?: TensorProto[]
  sparseInitializer?: SparseTensorProto[]
  docString?: string
  input?: ValueInfoProto[]
  output?: ValueInfoProto[]
  valueInfo?: ValueInfoProto[]
  quantizationAnnotation?: unknown[]
  metadataProps?: StringStringEntryProto[]
}

export interface FunctionProto {
  name?: string
  input?: string[]
  output?: string[]
  attribute?: string[]
  attributeProto?: AttributeProto[]
  node?: NodeProto[]
  docString?: string
  opsetImport?: OperatorSetIdProto[]
  domain?: string
  overload?: string
  valueInfo?: ValueInfoProto[]
  metadataProps?: StringStringEntryProto[]
}

export interface ModelProto {
  irVersion?: Int64
  opsetImport?: OperatorSetIdProto[]
  producerName?: string
  producerVersion?: string
  domain?: string
  modelVersion?: Int64
  docString?: string
  graph?: GraphProto
  metadataProps?: StringStringEntryProto[]
  trainingInfo?: unknown[]
  functions?: FunctionProto[]
}

/** TensorProto.DataType, as numbered in onnx.proto. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
  FLOAT4E2M1: 23,
} as const

export type DataTypeName = keyof typeof DataType

/** AttributeProto.AttributeType. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const
