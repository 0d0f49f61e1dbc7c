// Time per node and per op type over the profiled runs: mean and spread over runs, share of the run's node
// time. Pure: tested directly.
import type { MeanSpread, ProfileNode, ProfileOpType, ProfileResult } from '../../../preload/api'
import { mean, stdDev } from '../bench/statistics'
import { nodeKey, type KernelMapping } from './kernel-nodes'
import type { TraceRun } from './profile-trace'

export function meanSpread(valuesMs: readonly number[]): MeanSpread {
  return { meanMs: mean(valuesMs), stdDevMs: stdDev(valuesMs) }
}

interface NodeTimes {
  readonly name: string
  readonly opType: string
  readonly ranAs?: string
  readonly runtimeOnly: boolean
  readonly container: boolean
  /** Microseconds per run. */
  readonly perRun: number[]
}

/** The kernel times of each run summed per node of the model, with the run's total node time (containers left out, their bodies count). */
function nodeTimes(runs: readonly TraceRun[], mapping: KernelMapping): { nodes: NodeTimes[]; sumUs: number[] } {
  const byName = new Map<string, NodeTimes>()
  const sumUs: number[] = []
  runs.forEach((run, index) => {
    let sum = 0
    for (const kernel of run.kernels) {
      const node = mapping.kernels.get(kernel.name)?.node
      const name = node ? nodeKey(node) : kernel.name
      let times = byName.get(name)
      if (!times) {
        const opType = node?.opType ?? kernel.op
        times = {
          name,
          opType,
          ...(kernel.op && kernel.op !== opType ? { ranAs: kernel.op } : {}),
          runtimeOnly: !node,
          container: mapping.containers.has(name),
          perRun: new Array<number>(runs.length).fill(0),
        }
        byName.set(name, times)
      }
      times.perRun[index] = (times.perRun[index] as number) + kernel.us
      if (!times.container) sum += kernel.us
    }
    sumUs.push(sum)
  })
  return { nodes: [...byName.values()], sumUs }
}

const ms = (us: readonly number[]): number[] => us.map((v) => v / 1000)
const slowestFirst = (a: MeanSpread, b: MeanSpread): number => b.meanMs - a.meanMs

export type ProfileTimes = Pick<ProfileResult, 'runMs' | 'nodeSumMs' | 'nodes' | 'opTypes' | 'notRun' | 'runs'> & {
  /** Each node's time in every run (ms), by name: what a comparison with the parent tests. */
  readonly perRunMs: Readonly<Record<string, readonly number[]>>
}

export function profileTimes(runs: readonly TraceRun[], mapping: KernelMapping): ProfileTimes {
  const { nodes: times, sumUs } = nodeTimes(runs, mapping)
  const nodeSumMs = meanSpread(ms(sumUs))
  const share = (meanMs: number): number => (nodeSumMs.meanMs > 0 ? meanMs / nodeSumMs.meanMs : 0)
  const nodes: ProfileNode[] = times
    .map((t) => {
      const spread = meanSpread(ms(t.perRun))
      const fused = mapping.fused.get(t.name)
      return {
        name: t.name,
        opType: t.opType,
        ...spread,
        share: t.container ? 0 : share(spread.meanMs),
        ...(t.ranAs ? { ranAs: t.ranAs } : {}),
        ...(fused ? { fused } : {}),
        ...(t.container ? { hasSubgraph: true as const } : {}),
        ...(t.runtimeOnly ? { runtimeOnly: true as const } : {}),
      }
    })
    .sort(slowestFirst)
  const byOp = new Map<string, NodeTimes[]>()
  for (const t of times) {
    if (t.container) continue
    const group = byOp.get(t.opType)
    if (group) group.push(t)
    else byOp.set(t.opType, [t])
  }
  const opTypes: ProfileOpType[] = [...byOp.entries()]
    .map(([opType, group]) => {
      const perRun = runs.map((_, i) => group.reduce((sum, t) => sum + (t.perRun[i] as number), 0))
      const spread = meanSpread(ms(perRun))
      return { opType, nodes: group.length, ...spread, share: share(spread.meanMs) }
    })
    .sort(slowestFirst)
  return {
    runs: runs.length,
    runMs: meanSpread(ms(runs.map((r) => r.runUs))),
    nodeSumMs,
    nodes,
    opTypes,
    notRun: mapping.notRun,
    perRunMs: Object.fromEntries(times.map((t) => [t.name, ms(t.perRun)])),
  }
}
