// What travels with a published version so the deployments view can say what is serving: the recipe
// chain that made it (lineage, up to the imported model) and the summary of its latest benchmark and
// comparison. Also where smoke-test data comes from when the user gives none.
import type { CompareReport, ModelEntry, ModelId, PublishedBenchmark, PublishRecord, WorkspaceLineage, PublishResult, SessionSettings, StoredResult } from '../../../preload/api'
import { reportsOf } from '../../../preload/reports'
import type { Workspace } from '../workspace/workspace'

export async function lineageOf(workspace: Workspace, model: ModelEntry): Promise<WorkspaceLineage> {
  const chain: WorkspaceLineage['chain'][number][] = []
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

export async function benchmarkSummary(workspace: Workspace, modelId: ModelId): Promise<PublishedBenchmark | undefined> {
  const results = await workspace.listResults(modelId)
  const bench = reportsOf(results, 'benchmark').at(-1)
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
  const batches = reportsOf(await workspace.listResults(modelId), 'benchmark').flatMap((report) => report.results.map((x) => x.batch))
  return batches.length > 0 ? Math.max(...batches) : undefined
}

function latestCompare(results: readonly StoredResult[]): CompareReport | undefined {
  return reportsOf(results, 'compare').at(-1)
}

/** Stores a publish with the model it published (the publish job and `slipway publish --workspace`). */
export async function savePublish(workspace: Workspace, modelId: ModelId, result: PublishResult): Promise<void> {
  const publishedAt = new Date().toISOString()
  const record: PublishRecord = { ...result, targetKind: result.kind, kind: 'publish', publishedAt }
  await workspace.saveResult(modelId, `publish-${publishedAt.replace(/[:.]/g, '-')}`, record)
}

/** The data the model was last compared on (real inputs for the smoke test), if it is still there. */
export async function comparisonDataOf(workspace: Workspace, modelId: ModelId): Promise<string | undefined> {
  return latestCompare(await workspace.listResults(modelId))?.data.source
}

/** The session settings of the latest finished search that recommended this model, if any. */
export async function tunedSettingsOf(workspace: Workspace, modelId: ModelId): Promise<SessionSettings | undefined> {
  const searches = reportsOf(await workspace.listResults(modelId), 'tune').filter((t) => t.state === 'done' && t.recommended === modelId && t.settings)
  const settings = searches.at(-1)?.settings
  return settings ? { intraOpThreads: settings.intraOpThreads, graphOptimizationLevel: settings.graphOptimizationLevel } : undefined
}
