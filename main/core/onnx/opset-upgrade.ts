// Raising a model's ai.onnx opset (to 13, what the recipes write: QuantizeLinear with an axis, Resize with
// explicit coordinates), as ONNX's version_converter does: each node is carried through every version at
// which its op changed, by the adapters in opset-adapters.ts, in subgraphs too. What no adapter can
// convert is refused, naming the node, the op and the model's opset.
import { FileError } from '../errors'
import { toNumber } from './codec'
import { nameAllocator, opsetVersion } from './graph-edit'
import { adapters, retired, Unconvertible, type UpgradeContext } from './opset-adapters'
import { opsetHistory } from './opset-history'
import { mapSubgraphs, subgraphsOf } from './graph-walk'
import type { GraphProto, ModelProto, NodeProto, TensorProto } from './onnx-types'
import { inferShapes } from './shape-inference'
import { makeTensor } from './tensor-data'

/** The opset the recipes write. */
export const recipeOpset = 13

/** The oldest ai.onnx opset ONNX Runtime runs. */
const oldestRuntimeOpset = 7

/** Whether ONNX Runtime refuses the model for its age (PyTorch and Caffe2 exports of 2017-2018). */
export function tooOldForRuntime(model: ModelProto): boolean {
  const opset = opsetVersion(model.opsetImport)
  return opset > 0 && opset < oldestRuntimeOpset
}

/** The model as ONNX Runtime can run it: upgraded to opset 13 when it is older than opset 7. */
export function runnableByRuntime(model: ModelProto, file: string): ModelProto {
  return tooOldForRuntime(model) ? upgradeOpset(model, recipeOpset, file) : model
}

/** Every value name read by a node or listed as an output, in the graph and the graphs nested in it. */
function valuesRead(graph: GraphProto, into: Set<string>): Set<string> {
  for (const o of graph.output ?? []) if (o.name) into.add(o.name)
  for (const node of graph.node ?? []) {
    for (const name of node.input ?? []) if (name) into.add(name)
    for (const sub of subgraphsOf(node)) valuesRead(sub, into)
  }
  return into
}

function isStandard(node: NodeProto): boolean {
  return !node.domain || node.domain === 'ai.onnx'
}

/**
 * IR < 4 models list every initializer as a graph input too. Rewrites that rename or replace weights
 * would leave those inputs dangling (ONNX Runtime: "Duplicate definition of name"), and from IR 4 on they
 * would make the weights overridable inputs that cannot be folded: they are dropped, and the IR raised to 4.
 */
export function withoutInitializerInputs(model: ModelProto): ModelProto {
  const graph = model.graph ?? {}
  const stored = new Set((graph.initializer ?? []).map((t) => t.name))
  const input = (graph.input ?? []).filter((i) => !stored.has(i.name))
  if (input.length === (graph.input ?? []).length) return model
  return { ...model, irVersion: Math.max(toNumber(model.irVersion), 4), graph: { ...graph, input } }
}

export function upgradeOpset(model: ModelProto, target: number, file: string): ModelProto {
  const current = opsetVersion(model.opsetImport)
  if (current >= target || !model.graph) return model
  const fresh = nameAllocator(model.graph)
  const read = valuesRead(model.graph, new Set())

  const upgradeGraph = (graph: GraphProto): GraphProto => {
    const shapes = inferShapes(graph)
    const initializer: TensorProto[] = [...(graph.initializer ?? [])]
    const stored = new Map(initializer.map((t) => [t.name ?? '', t]))
    const types = new Map<string, number>()
    for (const v of [...(graph.input ?? []), ...(graph.valueInfo ?? []), ...(graph.output ?? [])])
      if (v.name && v.type?.tensorType?.elemType) types.set(v.name, v.type.tensorType.elemType)
    for (const t of initializer) if (t.name && t.dataType) types.set(t.name, t.dataType)
    const ctx: UpgradeContext = {
      fresh,
      constant: (base, dims, data) => {
        const name = fresh(base)
        const t = makeTensor(name, dims, data)
        initializer.push(t)
        stored.set(name, t)
        return name
      },
      rank: (name) => shapes.get(name)?.shape?.length ?? (stored.has(name) ? (stored.get(name)?.dims ?? []).length : undefined),
      isRead: (name) => read.has(name),
      stored: (name) => stored.get(name),
      elemType: (name) => types.get(name),
    }
    const upgradeNode = (node: NodeProto, from: number): NodeProto[] => {
      const op = node.opType ?? ''
      const history = opsetHistory[op]
      if (!history) {
        const replace = retired[op]
        if (!replace) throw new Unconvertible(`${op} is no ONNX operator at opset ${target}`)
        return replace(node, ctx).flatMap((n) => upgradeNode(n, from))
      }
      let current = node
      if (from < 6 && findConsumed(current)) current = { ...current, attribute: (current.attribute ?? []).filter((a) => a.name !== 'consumed_inputs') }
      for (const version of history) {
        if (version <= from || version > target) continue
        const adapter = adapters[`${op}@${version}`]
        if (adapter) return adapter(current, ctx).flatMap((n) => upgradeNode(n, version))
      }
      return [current]
    }
    const node = (graph.node ?? []).flatMap((original) => {
      const withSubgraphs = mapSubgraphs(original, upgradeGraph)
      if (!isStandard(withSubgraphs)) return [withSubgraphs]
      try {
        return upgradeNode(withSubgraphs, current)
      } catch (error) {
        if (!(error instanceof Unconvertible)) throw error
        const label = original.name ? `${original.opType} node '${original.name}'` : `${original.opType} node`
        throw new FileError(file, `the model uses opset ${current} and the recipe needs opset ${target}; its ${label} cannot be converted: ${error.message}. Export the model at opset ${target} or later.`)
      }
    })
    return { ...graph, node, initializer }
  }

  const opsetImport = (model.opsetImport ?? []).map((o) => ((o.domain ?? '') === '' || o.domain === 'ai.onnx' ? { ...o, version: target } : o))
  const upgraded = withoutInitializerInputs({ ...model, graph: upgradeGraph(model.graph) })
  // IR 7 is the version that came with opset 13.
  return { ...upgraded, opsetImport, irVersion: Math.max(toNumber(upgraded.irVersion), 7) }
}

function findConsumed(node: NodeProto): boolean {
  return (node.attribute ?? []).some((a) => a.name === 'consumed_inputs')
}
