// What travels with a published version so the deployments view can say what is serving: the recipe
// chain that made it (lineage, up to the imported model) and the summary of its latest benchmark and
// comparison. Also where smoke-test data comes from when the user gives none.
import type { BenchmarkReport, CompareReport, ModelEntry, ModelId } from '../../../preload/api'
import type { Workspace } from '../workspace/workspace'

export interface LineageRecord {
  readonly modelId: ModelId
  readonly name: string
  /** Oldest first: the imported model, then each recipe applied. */
  readonly chain: readonly { readonly name: string; readonly recipe?: string; readonly params?: unknown; readonly createdAt: string }[]
}

export interface BenchmarkSummary {
  readonly batch: number
  readonly threads: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly samplesPerSec: number
  readonly sizeBytes: number
  readonly measuredAt: string
  readonly accuracy?: number
  readonly top1Agreement?: number
}

export async function lineageOf(workspace: Workspace, model: ModelEntry): Promise<LineageRecord> {
  const chain: LineageRecord['chain'][number][] = []
  let current: ModelEntry | undefined = model
  // Bounded walk: a corrupted entry must not loop forever.
  for (let depth = 0; current && depth < 64; depth++) {
    chain.unshift({
      name: current.name,
      ...(current.lineage ? { recipe: current.lineage.recipe, params: current.lineage.params } : {}),
      createdAt: current.lineage?.createdAt ?? current.importedAt,
    })
    current = current.lineage ? await workspace.get(current.lineage.parentId).catch(() => undefined) : undefined
  }
  return { modelId: model.id, name: model.name, chain }
}

export async function benchmarkSummary(workspace: Workspace, modelId: ModelId): Promise<BenchmarkSummary | undefined> {
  const results = await workspace.listResults(modelId)
  const bench = results.filter((r) => (r.value as { kind?: string }).kind === 'benchmark').at(-1)?.value as BenchmarkReport | undefined
  const compare = latestCompare(results)
  const best = bench?.results.filter((r) => r.modelId === undefined || r.modelId === modelId).sort((a, b) => a.batch - b.batch || a.threads - b.threads)[0]
  if (!best || !bench) return undefined
  const variant = compare?.variants.find((v) => v.modelId === modelId)
  return {
    batch: best.batch,
    threads: best.threads,
    p50Ms: best.latencyMs.p50,
    p95Ms: best.latencyMs.p95,
    samplesPerSec: best.throughput.samplesPerSec,
    sizeBytes: best.sizeBytes,
    measuredAt: bench.createdAt,
    ...(variant?.accuracy === undefined ? {} : { accuracy: variant.accuracy }),
    ...(variant?.fidelity.top1Agreement === undefined ? {} : { top1Agreement: variant.fidelity.top1Agreement }),
  }
}

/** The largest batch size a model was benchmarked at (what a Triton config may allow), if any. */
export async function benchmarkedMaxBatch(workspace: Workspace, modelId: ModelId): Promise<number | undefined> {
  const batches = (await workspace.listResults(modelId))
    .filter((r) => (r.value as { kind?: string }).kind === 'benchmark')
    .flatMap((r) => (r.value as BenchmarkReport).results.map((x) => x.batch))
  return batches.length > 0 ? Math.max(...batches) : undefined
}

function latestCompare(results: readonly { name: string; value: unknown }[]): CompareReport | undefined {
  return results.filter((r) => (r.value as { kind?: string }).kind === 'compare').at(-1)?.value as CompareReport | undefined
}

/** The data the model was last compared on (real inputs for the smoke test), if it is still there. */
export async function comparisonDataOf(workspace: Workspace, modelId: ModelId): Promise<string | undefined> {
  return latestCompare(await workspace.listResults(modelId))?.data.source
}
