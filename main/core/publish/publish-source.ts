// What a publish takes from the workspace (a model or variant with its lineage, benchmark summary and
// comparison data) or from a bare .onnx file given on the command line (inspected in a worker).
import type { SmokeResult } from '../../../preload/api'
import { UserError } from '../errors'
import { runInWorker } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import type { Workspace } from '../workspace/workspace'
import { benchmarkedMaxBatch, benchmarkSummary, comparisonDataOf, lineageOf } from './publish-metadata'
import type { PublishSource } from './publish-model'

export async function sourceFromWorkspace(workspace: Workspace, modelId: string, dataPath?: string): Promise<PublishSource> {
  const model = await workspace.get(modelId)
  if (!model.inspection) throw new UserError(`${model.name} has not been inspected yet`)
  if (model.format !== 'onnx') throw new UserError(`${model.name} is a ${model.format} model: convert it to ONNX first (servers take ONNX)`)
  const compared = dataPath ? undefined : await comparisonDataOf(workspace, modelId)
  const data = dataPath ?? compared
  const benchmark = await benchmarkSummary(workspace, modelId)
  const maxBatch = await benchmarkedMaxBatch(workspace, modelId)
  const dataSource: SmokeResult['inputs'] = dataPath ? 'given data' : 'comparison data'
  return {
    file: await workspace.mainFilePath(modelId),
    inspection: model.inspection,
    fileCount: model.files.length,
    lineage: await lineageOf(workspace, model),
    ...(benchmark ? { benchmark } : {}),
    ...(maxBatch ? { maxBatch } : {}),
    ...(data ? { dataPath: data, dataSource } : {}),
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
    ...(dataPath ? { dataPath, dataSource: 'given data' as const } : {}),
  }
}
