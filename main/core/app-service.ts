// The engine behind the contract: implements every call of preload/api.ts over the workspace, the job
// queue and worker processes. Plain Node: the Electron glue and the browser host both wrap this object.
import { EventEmitter } from 'node:events'
import { access, readdir, rm } from 'node:fs/promises'
import { basename, dirname, extname, join, relative, sep } from 'node:path'
import type { Api, AppInfo, DataCheck, Events, ImportSource, JobRequest, ModelEntry, ModelId, SampleSource } from '../../preload/api'
import { exportReport, joinReports } from './bench/export'
import { resolveInputs } from './bench/input-spec'
import { toErrorInfo, UserError } from './errors'
import { JobQueue } from './jobs/job-queue'
import { jobKindOf, type JobEnv } from './jobs/job-kinds'
import { runInWorker } from './worker/run-in-worker'
import type { SpawnWorker } from './worker/spawn-node-worker'
import { DataFiles } from './workspace/data-files'
import { deleteWithVariants, planDeletion } from './workspace/model-deletion'
import { suggestData } from './workspace/data-suggestions'
import { publishCalls, targetStoreFor } from './publish/publish-api'
import type { SecretStore } from './publish/secret-store'
import { Workspace } from './workspace/workspace'
import { appVersion, onnxRuntimeVersion, sampleDir } from './resources'

export interface AppServiceConfig {
  readonly workspaceDir: string
  readonly host: AppInfo['host']
  readonly spawnWorker: SpawnWorker
  /** Import the sample model when the workspace is new (the first run). */
  readonly addSampleOnFirstRun?: boolean
  /** Keeps target tokens: Electron's safeStorage in the desktop app; a 0600 file in the workspace otherwise. */
  readonly secretStore?: SecretStore
}

export interface AppService {
  readonly api: Api
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void
  /** A staging folder for the browser host to write uploaded files into; import it with { kind: 'upload' }. */
  createUpload(): Promise<{ readonly id: string; readonly dir: string }>
  /** The folder of an upload that has not been imported yet. */
  uploadDir(id: string): string | undefined
  /** Drops an upload whose transfer failed, files and folder, so staging holds nothing of it. */
  discardUpload(id: string): Promise<void>
  readonly workspace: Workspace
  readonly jobs: JobQueue
}

const SAMPLE_MARKER = '.sample-added'

export async function createAppService(config: AppServiceConfig): Promise<AppService> {
  const workspace = await Workspace.open(config.workspaceDir)
  const emitter = new EventEmitter()
  const emit = <E extends keyof Events>(event: E, payload: Events[E]): void => {
    emitter.emit(event, payload)
  }
  const jobs = new JobQueue((job) => emit('job-updated', { job }))
  const env: JobEnv = {
    workspace,
    spawnWorker: config.spawnWorker,
    ...(config.secretStore ? { secrets: config.secretStore } : {}),
    modelsChanged: () => modelsChanged(),
  }
  const uploads = new Map<string, string>()
  const dataFiles = new DataFiles(workspace.dir, sampleDir)

  const modelsChanged = async (): Promise<void> => emit('models-changed', { models: await workspace.list() })

  // Fit checks behind suggestions, one worker run per model, file and size: a model's inputs never change,
  // and a file replaced under the same path has another size (or is checked again at the next start).
  const fits = new Map<string, Promise<DataCheck>>()
  function fitOf(modelId: ModelId, path: string, sizeBytes: number): Promise<DataCheck> {
    const key = `${modelId}\n${path}\n${sizeBytes}`
    let check = fits.get(key)
    if (!check) {
      check = api.checkData(modelId, path).catch((error: unknown): DataCheck => ({ ok: false, error: toErrorInfo(error) }))
      fits.set(key, check)
    }
    return check
  }

  async function importFrom(path: string, source: string, name?: string): Promise<ModelEntry> {
    const found = await runInWorker(config.spawnWorker, 'inspect-model', { path })
    const entry = await workspace.add(
      {
        name: name ?? modelName(found.mainFile),
        format: found.inspection.format,
        mainFile: relative(found.dir, found.mainFile),
        source,
        inspection: found.inspection,
      },
      found.files.map((file) => ({ from: file, to: relative(found.dir, file) })),
    )
    await modelsChanged()
    return entry
  }

  const importSample = (): Promise<ModelEntry> => importFrom(join(sampleDir, 'digits_cnn.onnx'), 'sample', 'digits_cnn (sample)')

  async function importModel(source: ImportSource | SampleSource): Promise<ModelEntry> {
    if (source.kind === 'sample') return importSample()
    if (source.kind === 'paths') {
      if (source.paths.length !== 1) return importFrom(await commonModelPath(source.paths), 'files')
      return importFrom(source.paths[0] as string, source.paths[0] as string)
    }
    const dir = uploads.get(source.uploadId)
    if (!dir) throw new UserError('the upload is unknown or was already imported')
    uploads.delete(source.uploadId)
    try {
      const mainFile = await modelFileIn(dir)
      return await importFrom(mainFile, `upload of ${relative(dir, mainFile)}`)
    } catch (error) {
      // Name the user's file, not the staging folder it was uploaded into.
      if (error instanceof UserError) throw new UserError(error.message.replaceAll(dir + sep, ''))
      throw error
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  const api: Api = {
    async getAppInfo() {
      return {
        version: appVersion,
        host: config.host,
        workspaceDir: workspace.dir,
        onnxRuntimeVersion,
        platform: `${process.platform}-${process.arch}`,
      }
    },
    listModels: () => workspace.list(),
    getModel: (id) => workspace.get(id),
    importModel,
    planDeletion: (id) => planDeletion(workspace, id),
    async deleteModel(id) {
      await deleteWithVariants(workspace, id)
      await modelsChanged()
    },
    async renameModel(id, name) {
      if (name.trim() === '') throw new UserError('a name cannot be empty')
      const renamed = await workspace.update(id, { name: name.trim() })
      await modelsChanged()
      return renamed
    },
    listJobs: async () => jobs.list(),
    async startJob(request: JobRequest) {
      const kind = jobKindOf(request.kind)
      const title = await kind.title(request as never, env)
      return jobs.start({
        kind: request.kind,
        title,
        ...('modelId' in request ? { modelId: request.modelId } : {}),
        run: async (job) => {
          const result = await kind.run(request as never, env, job)
          await modelsChanged()
          return result
        },
      })
    },
    async cancelJob(id) {
      jobs.cancel(id)
    },
    clearFinishedJobs: async () => jobs.clearFinished(),
    listDataFiles: () => dataFiles.list(),
    async addDataFile(source) {
      if (source.kind === 'paths') {
        if (source.paths.length !== 1) throw new UserError('drop one data file (or one folder) at a time')
        return dataFiles.addPath(source.paths[0] as string)
      }
      const dir = uploads.get(source.uploadId)
      if (!dir) throw new UserError('the upload is unknown or was already used')
      uploads.delete(source.uploadId)
      try {
        return await dataFiles.addUpload(dir)
      } finally {
        // Kept files were moved out; a refused upload must not stay in staging until the next start.
        await rm(dir, { recursive: true, force: true })
      }
    },
    async checkData(modelId, path, options) {
      const inputs = (await workspace.get(modelId)).inspection?.inputs
      if (!inputs) throw new UserError('the model has not been inspected yet')
      // A misfit's error names the file apart from its words: the UI shows the file's name, not where it is kept.
      return runInWorker(config.spawnWorker, 'check-data', { path, inputs, ...(options ? { data: options } : {}) })
    },
    async suggestData(modelId) {
      const inputs = (await workspace.get(modelId)).inspection?.inputs
      if (!inputs) return {}
      return suggestData(await dataFiles.list(), inputs, (file) => fitOf(modelId, file.path, file.sizeBytes))
    },
    async setDataChoice(modelId, role, path) {
      const entry = await workspace.get(modelId)
      // Only files the workspace lists: a choice is what the picker offered, never a path of the caller's.
      if (path !== null && !(await dataFiles.list()).some((file) => file.path === path)) throw new UserError('that data file is not in the workspace')
      const updated = await workspace.update(modelId, { dataChoices: { ...entry.dataChoices, [role]: path } })
      await modelsChanged()
      return updated
    },
    async estimateMacs(modelId, shapes) {
      const entry = await workspace.get(modelId)
      if (entry.format !== 'onnx') throw new UserError('MACs for other sizes are estimated for ONNX models')
      return runInWorker(config.spawnWorker, 'estimate-macs', { path: await workspace.mainFilePath(modelId), shapes })
    },
    async setInputSpec(modelId, spec) {
      const entry = await workspace.get(modelId)
      const inputs = entry.inspection?.inputs
      if (!inputs) throw new UserError('the model has not been inspected yet')
      // Refused now, not at the next benchmark: names the model lacks, values its types cannot hold, contradicting shapes.
      resolveInputs(entry.name, inputs.map((input) => ({ name: input.name, dtype: input.dtype, dims: input.shape })), { spec, guessUnknownDims: true })
      const updated = await workspace.update(modelId, { inputSpec: spec })
      await modelsChanged()
      return updated
    },
    listResults: (modelId) => workspace.listResults(modelId),
    async getGraph(modelId) {
      const entry = await workspace.get(modelId)
      return runInWorker(config.spawnWorker, 'model-graph', { path: await workspace.mainFilePath(modelId), format: entry.format })
    },
    async exportResult(modelIds, name, format) {
      // Looked up among the stored results, so a name never becomes a path of its own.
      const parts = (await Promise.all(modelIds.map((id) => workspace.listResults(id))))
        .flatMap((results) => results.filter((r) => r.name === name).map((r) => r.value))
        .filter((value) => value.kind === 'benchmark' || value.kind === 'compare')
      const report = joinReports(parts)
      if (!report) throw new UserError(`no benchmark or comparison named "${name}" is stored with these models`)
      return exportReport(report, format)
    },
    ...publishCalls(targetStoreFor(workspace.dir, config.secretStore)),
  }

  if (config.addSampleOnFirstRun) await addSampleOnce(workspace, importSample)

  return {
    api,
    workspace,
    jobs,
    on(event, listener) {
      emitter.on(event, listener)
      return () => emitter.off(event, listener)
    },
    async createUpload() {
      const dir = await workspace.stagingDir()
      const id = basename(dir)
      uploads.set(id, dir)
      return { id, dir }
    },
    uploadDir: (id) => uploads.get(id),
    async discardUpload(id) {
      const dir = uploads.get(id)
      uploads.delete(id)
      if (dir) await rm(dir, { recursive: true, force: true })
    },
  }
}

async function addSampleOnce(workspace: Workspace, add: () => Promise<ModelEntry>): Promise<void> {
  const marker = join(workspace.dir, SAMPLE_MARKER)
  if (await exists(marker)) return
  await add()
  const { writeFileAtomic } = await import('./serving/atomic-write')
  await writeFileAtomic(marker, new Date().toISOString() + '\n')
}

function modelName(mainFile: string): string {
  const file = basename(mainFile)
  // A TF.js model is always model.json: its folder says which model it is.
  if (file === 'model.json') return basename(dirname(mainFile))
  return file.slice(0, file.length - extname(file).length)
}

/** Several dropped files: the model file among them (a .onnx, or a model.json with its shards). */
async function commonModelPath(paths: readonly string[]): Promise<string> {
  const candidates = paths.filter((path) => path.endsWith('.onnx') || basename(path) === 'model.json')
  if (candidates.length !== 1)
    throw new UserError(
      candidates.length === 0
        ? 'none of the dropped files is a model (.onnx, or a TF.js model.json)'
        : 'several models were dropped at once: drop one model (with its side files) at a time',
    )
  return candidates[0] as string
}

/** The model file inside an uploaded folder. */
async function modelFileIn(dir: string): Promise<string> {
  const files = (await readdir(dir, { recursive: true })).map((file) => join(dir, file))
  const models = files.filter((path) => path.endsWith('.onnx') || basename(path) === 'model.json')
  if (models.length === 0) {
    if (files.length === 1) return files[0] as string
    throw new UserError('the upload holds no model (.onnx, or a TF.js model.json)')
  }
  return commonModelPath(models)
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}
