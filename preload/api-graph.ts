// The graph of a model as the Graph tab draws it: nodes with their op, attributes and the tensors they read
// and write, every tensor's shape and dtype (from the model, or the engine's shape inference), and the
// statistics of stored weights. Made in a worker by the engine (`getGraph`); types only.
import type { Dim, ModelFormat } from './api'

/** Value distribution of a stored weight: bin i counts values in [min + i·(max−min)/bins, …). */
export interface WeightStats {
  readonly shape: readonly number[]
  readonly dtype: string
  readonly count: number
  readonly min: number
  readonly max: number
  readonly mean: number
  readonly std: number
  /** Share of exact zeros, 0..1. */
  readonly sparsity: number
  readonly histogram: readonly number[]
}

export interface GraphTensor {
  readonly name: string
  /** '' when neither the model nor shape inference says. */
  readonly dtype: string
  /** null when unknown. */
  readonly shape: readonly Dim[] | null
  /** A stored weight (initializer, Constant node, TF.js weight): its statistics. */
  readonly weight?: WeightStats
}

export interface GraphAttribute {
  readonly name: string
  /** The value as text (lists shortened, tensors as dtype and shape). */
  readonly value: string
}

export interface GraphNode {
  /** Unique in the model: the node's position, with its parents' for nodes inside subgraphs ('12/then_branch/3'). */
  readonly id: string
  /** The node's name in the model; may be empty in ONNX. */
  readonly name: string
  readonly op: string
  /** Operator set domain when not the default one ('com.microsoft'). */
  readonly domain?: string
  /** Tensor names read and written ('' marks an omitted optional input). */
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  readonly attributes: readonly GraphAttribute[]
  /** If/Loop/Scan bodies, by attribute name ('then_branch', 'else_branch', 'body'). */
  readonly subgraphs?: readonly GraphBody[]
}

export interface GraphBody {
  /** The attribute that holds this body ('' for the main graph). */
  readonly attribute: string
  readonly nodes: readonly GraphNode[]
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
}

export interface ModelGraph {
  readonly format: ModelFormat
  readonly main: GraphBody
  /** Every tensor by name, graph inputs, outputs, weights and values in between, subgraphs included. */
  readonly tensors: Readonly<Record<string, GraphTensor>>
  /** Nodes counted in every body. */
  readonly nodeCount: number
}
