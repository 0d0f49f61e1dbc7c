// Latency of a model against its parent, for the benchmark scripts that check a speed-up target.
//
// These machines drift between speed states (a run takes 1.5× longer for seconds at a time, in every
// process) and other processes preempt single runs. So parent and child run back to back in pairs, which
// one goes first alternating, and the verdict is the median over pairs of child/parent: each pair sees one
// machine state, and the median ignores the pairs a preemption hit. Wall-clock time is the latency; CPU
// time (all threads of this process) prints beside it. ONNX Runtime's spin-waiting is off: on these
// virtual machines a spinning thread pool made even the float model 2× slower and erratic.
import { performance } from 'node:perf_hooks'
import * as ort from 'onnxruntime-node'
import { seededRandom } from '../main/core/bench/random-inputs'
import { percentile } from '../main/core/bench/statistics'

export interface PairedOptions {
  readonly threads: number
  readonly pairs: number
  readonly warmup?: number
}

export interface Timing {
  readonly wall: number
  readonly cpu: number
}

export interface PairedLatency {
  /** Median milliseconds per run. */
  readonly parent: Timing
  readonly child: Timing
  /** Median over pairs of child / parent. */
  readonly ratio: Timing
  /** Every pair's child / parent wall-clock ratio, for an interval of the median. */
  readonly pairRatios: readonly number[]
}

export function benchSession(path: string, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  })
}

export async function pairedLatency(parentPath: string, childPath: string, shape: readonly number[], options: PairedOptions): Promise<PairedLatency> {
  const sessions = [await benchSession(parentPath, options.threads), await benchSession(childPath, options.threads)] as const
  const random = seededRandom(9)
  const input = new ort.Tensor('float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, random), [...shape])
  const time = async (session: ort.InferenceSession): Promise<Timing> => {
    const cpu = process.cpuUsage()
    const started = performance.now()
    await session.run({ [session.inputNames[0] as string]: input })
    const used = process.cpuUsage(cpu)
    return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 }
  }
  for (let i = 0; i < (options.warmup ?? 3); i++) for (const s of sessions) await time(s)
  const pairs: { parent: Timing; child: Timing }[] = []
  for (let i = 0; i < options.pairs; i++) {
    if (i % 2 === 0) {
      const parent = await time(sessions[0])
      pairs.push({ parent, child: await time(sessions[1]) })
    } else {
      const child = await time(sessions[1])
      pairs.push({ parent: await time(sessions[0]), child })
    }
  }
  await Promise.all(sessions.map((s) => s.release()))
  const median = (values: number[]): number => percentile(values, 0.5)
  const of = (pick: (p: { parent: Timing; child: Timing }) => Timing): Timing => ({
    wall: median(pairs.map((p) => pick(p).wall)),
    cpu: median(pairs.map((p) => pick(p).cpu)),
  })
  return {
    parent: of((p) => p.parent),
    child: of((p) => p.child),
    ratio: { wall: median(pairs.map((p) => p.child.wall / p.parent.wall)), cpu: median(pairs.map((p) => p.child.cpu / p.parent.cpu)) },
    pairRatios: pairs.map((p) => p.child.wall / p.parent.wall),
  }
}
