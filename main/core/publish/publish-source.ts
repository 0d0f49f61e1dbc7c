// What a publish takes from the workspace (a model or variant with its lineage, benchmark summary and
// comparison data) or from a bare .onnx file given on the command line (inspected in a worker).
import { UserError } from '../errors'
import { runInWorker } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import type { Workspace } from '../workspace/workspace'
import { benchmarkedMaxBatch, benchmarkSummary, comparisonDataOf, lineageOf, tunedSettingsOf } from './publish-metadata'
import type { PublishSource } from './publish-model'

/** Real inputs for the smoke test: the data the model was compared on, then the workspace's data files. */
export async function sourceFromWorkspace(workspace: Workspace, modelId: string, dataPath?: string, dataFiles: readonly string[] = []): Promise<PublishSource> {
  const model = await workspace.get(modelId)
  if (!model.inspection) throw new UserError(`${model.name} has not been inspected yet`)
  if (model.format !== 'onnx') throw new UserError(`${model.name} is a ${model.format} model: convert it to ONNX first (servers take ONNX)`)
  const compared = await comparisonDataOf(workspace, modelId)
  const benchmark = await benchmarkSummary(workspace, modelId)
  const maxBatch = await benchmarkedMaxBatch(workspace, modelId)
  const sessionSettings = await tunedSettingsOf(workspace, modelId)
  return {
    file: await workspace.mainFilePath(modelId),
    inspection: model.inspection,
    fileCount: model.files.length,
    lineage: await lineageOf(workspace, model),
    ...(benchmark ? { benchmark } : {}),
    ...(maxBatch ? { maxBatch } : {}),
    ...(sessionSettings ? { sessionSettings } : {}),
    ...(dataPath ? { dataPath } : { dataCandidates: [...(compared ? [compared] : []), ...dataFiles] }),
  }
}

export async function sourceFromFile(spawnWorker: SpawnWorker, path: string, dataPath?: string): Promise<PublishSource> {
  const found = await runInWorker(spawnWorker, 'inspect-model', { path })
  if (found.inspection.format !== 'onnx') throw new UserError(`${path} is a ${found.inspection.format} model: convert it to ONNX first (servers take ONNX)`)
  return {
    file: found.mainFile,
    inspection: found.inspection,
    fileCount: found.files.length,
    lineage: { file: path },
    ...(dataPath ? { dataPath } : {}),
  }
}
