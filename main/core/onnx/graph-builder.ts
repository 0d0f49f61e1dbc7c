// Building an ONNX graph node by node, for converters and rewrites that emit new graphs: unique value
// names, initializers from typed arrays, attributes from plain values, and the final ModelProto.
import { AttributeType, DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './onnx-types'
import { makeTensor, type TensorArray } from './tensor-data'

export type AttributeValue = number | string | readonly number[] | readonly string[] | TensorProto

/** Attribute values: integers become INT/INTS unless listed in `floats` (ONNX types floats and ints apart). */
export function makeAttribute(name: string, value: AttributeValue, float = false): AttributeProto {
  const encoder = new TextEncoder()
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: encoder.encode(value) }
  if (typeof value === 'number')
    return float || !Number.isInteger(value) ? { name, type: AttributeType.FLOAT, f: value } : { name, type: AttributeType.INT, i: value }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string'))
      return { name, type: AttributeType.STRINGS, strings: (value as string[]).map((v) => encoder.encode(v)) }
    const numbers = value as readonly number[]
    return float || numbers.some((v) => !Number.isInteger(v))
      ? { name, type: AttributeType.FLOATS, floats: [...numbers] }
      : { name, type: AttributeType.INTS, ints: [...numbers] }
  }
  return { name, type: AttributeType.TENSOR, t: value as TensorProto }
}

/** A tensor value description; dims are numbers, or names for symbolic dims. */
export function makeValueInfo(name: string, elemType: number, dims: readonly (number | string)[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  }
}

export interface NodeOptions {
  /** Attribute values; names listed in `floatAttributes` are written as FLOAT(S) even when integral. */
  readonly attributes?: Readonly<Record<string, AttributeValue | undefined>>
  readonly floatAttributes?: readonly string[]
  readonly name?: string
  /** Output value names; one fresh name when omitted. */
  readonly outputs?: readonly string[]
}

export class GraphBuilder {
  private readonly nodes: NodeProto[] = []
  private readonly initializers: TensorProto[] = []
  private readonly used = new Set<string>()
  private readonly nodeNames = new Set<string>()

  private static unique(taken: Set<string>, base: string): string {
    let name = base
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`
    taken.add(name)
    return name
  }

  /** A value name not used yet in this graph, based on `base` (node names are a separate namespace). */
  uniqueName(base: string): string {
    return GraphBuilder.unique(this.used, base)
  }

  /** Reserves a name that must be kept as is (a graph input or output); false when taken already. */
  claimName(name: string): boolean {
    if (this.used.has(name)) return false
    this.used.add(name)
    return true
  }

  initializer(base: string, dims: readonly number[], data: TensorArray, dataType?: number): string {
    const name = this.uniqueName(base)
    this.initializers.push(makeTensor(name, dims, data, dataType))
    return name
  }

  int64s(base: string, values: readonly number[]): string {
    return this.initializer(base, [values.length], BigInt64Array.from(values.map((v) => BigInt(v))), DataType.INT64)
  }

  /** Adds a node and returns its first output's name. */
  node(opType: string, inputs: readonly string[], options: NodeOptions = {}): string {
    const outputs = options.outputs ? [...options.outputs] : [this.uniqueName(`${options.name ?? opType}_out`)]
    const attribute = Object.entries(options.attributes ?? {})
      .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined)
      .map(([key, value]) => makeAttribute(key, value, options.floatAttributes?.includes(key)))
    this.nodes.push({
      opType,
      input: [...inputs],
      output: outputs,
      name: GraphBuilder.unique(this.nodeNames, options.name ?? opType),
      ...(attribute.length ? { attribute } : {}),
    })
    return outputs[0] as string
  }

  model(options: {
    readonly graphName: string
    readonly inputs: readonly ValueInfoProto[]
    readonly outputs: readonly ValueInfoProto[]
    readonly opset: number
    readonly producerName: string
    readonly producerVersion: string
    readonly docString?: string
  }): ModelProto {
    return {
      irVersion: 8,
      opsetImport: [{ domain: '', version: options.opset }],
      producerName: options.producerName,
      producerVersion: options.producerVersion,
      ...(options.docString ? { docString: options.docString } : {}),
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: [...options.inputs],
        output: [...options.outputs],
      },
    }
  }
}
