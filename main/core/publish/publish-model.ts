// One-click publish of a model to a target, in stages the UI shows: pre-flight (name, size, model runs
// locally, the target is reachable, the token works, the name is free or the user said what to do), upload
// (streamed, retried on a dropped connection with the same Idempotency-Key), verify (the server's sha256 is
// ours), smoke test (the target's outputs on real inputs against the local run), live (the pointer moves).
// Nothing is recorded as published until the target serves the version.
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import type { Inspection, PublishedBenchmark, PublishedLineage, PublishOptions, PublishResult, SessionSettings, SmokeResult } from '../../../preload/api'
import { configToJson, withSessionSettings, type ModelConfig } from '../serving/model-config'
import { UserError } from '../errors'
import { problemMessage } from '../problem-text'
import { externalDataFiles } from '../onnx/external-data'
import { readOnnxModel } from '../onnx/model-file'
import { runInWorker } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import { examplesFor } from './examples'
import { exportFolder } from './export-folder'
import { TargetError } from './http-client'
import { modelConfigFor } from './model-config-of'
import { compareOutputs } from './oip'
import type { ReferenceResult } from './reference-task'
import { SlipwayClient } from './slipway-client'
import type { ResolvedTarget } from './targets'
import { checkTritonSize, TritonClient } from './triton-client'

/** What is published: one ONNX file, what it is, and what travels with it. */
export interface PublishSource {
  readonly file: string
  readonly inspection: Inspection
  /** How many files the model has (external data cannot be uploaded as one model.onnx). */
  readonly fileCount: number
  readonly lineage?: PublishedLineage
  readonly benchmark?: PublishedBenchmark
  readonly maxBatch?: number
  /** Session settings the tuner measured best for the model: they go into the deployment's config. */
  readonly sessionSettings?: SessionSettings
  readonly dataPath?: string
  /** Without dataPath: data files to try for real smoke-test inputs (comparison data, the workspace's data). */
  readonly dataCandidates?: readonly string[]
}

export interface PublishRun {
  readonly signal: AbortSignal
  progress(fraction: number, stage: string, detail?: string): void
}

interface SideFile {
  readonly path: string
  readonly location: string
  readonly sha256: string
  readonly size: number
}

async function sideFilesOf(modelFile: string, signal: AbortSignal): Promise<SideFile[]> {
  const files = await externalDataFiles(modelFile, (await readOnnxModel(modelFile)).model)
  const out: SideFile[] = []
  for (const file of files) out.push({ path: file.path, location: file.location, ...(await sha256File(file.path, signal)) })
  return out
}

export async function sha256File(file: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(file, signal ? { signal } : {})) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), size }
}

function smokeOf(reference: ReferenceResult, remote: Awaited<ReturnType<SlipwayClient['infer']>>): SmokeResult {
  const comparison = compareOutputs(reference.outputs, remote)
  if (!comparison.passed) throw new TargetError('rejected', `smoke test failed: ${comparison.problem ?? 'outputs differ'}`)
  return { rows: reference.rows, inputs: reference.dataPath ? basename(reference.dataPath) : 'random data', maxAbsDiff: comparison.maxAbsDiff, outputs: Object.keys(reference.outputs), passed: true }
}

export async function publishModel(
  spawnWorker: SpawnWorker,
  source: PublishSource,
  target: ResolvedTarget,
  options: PublishOptions,
  run: PublishRun,
): Promise<PublishResult> {
  run.progress(0, 'pre-flight', 'checking the model')
  const ifExists = options.ifExists ?? 'ask'
  const plain = modelConfigFor(options.name, source.inspection, source.maxBatch)
  const config = source.sessionSettings ? withSessionSettings(plain, source.sessionSettings) : plain
  if (source.fileCount > 1 && target.info.kind === 'triton')
    throw new UserError(
      "the model keeps its weights in external data files, which Triton's load request cannot carry (it takes one model.onnx): export a model repository folder and point Triton at it, or save the model as one file first",
    )
  const { sha256, size } = await sha256File(source.file, run.signal)
  // The side files, checked to stay inside the model's folder (the server checks them again).
  const sideFiles = source.fileCount > 1 ? await sideFilesOf(source.file, run.signal) : []
  const record = { ...(source.lineage === undefined ? {} : { lineage: source.lineage }), ...(source.benchmark === undefined ? {} : { metrics: source.benchmark }) }

  if (target.info.kind === 'folder') {
    run.progress(0.3, 'writing', target.info.dir)
    const written = await exportFolder({
      outDir: target.info.dir!,
      format: target.info.format ?? 'triton',
      config,
      modelFile: source.file,
      sideFiles,
      sha256,
      size,
      ifExists,
      record,
    })
    run.progress(1, 'live', `${target.info.dir}`)
    return {
      target: target.info.name,
      kind: 'folder',
      model: config.name,
      version: written.version,
      outDir: target.info.dir!,
      sha256,
      sizeBytes: size,
      examples: examplesFor('http://localhost:8000', config, false),
    }
  }
  if (target.info.kind === 'triton') checkTritonSize(source.file, size, JSON.stringify(configToJson(config)), 1)

  // Runs after the target's checks, so a server that is down or a wrong token fails at once.
  const reference = (): Promise<ReferenceResult> => {
    run.progress(0.06, 'pre-flight', 'running the model locally')
    return runInWorker(
      spawnWorker,
      'publish-reference',
      {
        modelPath: source.file,
        inputs: source.inspection.inputs,
        ...(source.dataPath ? { dataPath: source.dataPath } : { dataCandidates: source.dataCandidates ?? [] }),
      },
      { signal: run.signal },
    )
  }
  const plan: ServerPublish = { target, config, source, runReference: reference, file: { sha256, size, record }, sideFiles, ifExists, run }
  return target.info.kind === 'triton' ? publishTriton(plan) : publishSlipway(plan)
}

/** A publish to a server, after the checks that need no network. */
interface ServerPublish {
  readonly target: ResolvedTarget
  readonly config: ModelConfig
  readonly source: PublishSource
  readonly runReference: () => Promise<ReferenceResult>
  readonly file: { readonly sha256: string; readonly size: number; readonly record: Record<string, unknown> }
  readonly sideFiles: readonly SideFile[]
  readonly ifExists: 'ask' | 'new-version' | 'replace'
  readonly run: PublishRun
}

async function publishSlipway({ target, config, source, runReference, file, sideFiles, ifExists, run }: ServerPublish): Promise<PublishResult> {
  const url = target.info.url!
  const client = new SlipwayClient(url, target.token)
  run.progress(0.05, 'pre-flight', `reaching ${url}`)
  await client.live(run.signal)
  if (!target.token) {
    const problem = { code: 'no-admin-token', url } as const
    throw new TargetError('auth', problemMessage(problem), undefined, { problem })
  }
  await client.listModels(run.signal)
  const existing = await client.describe(config.name, run.signal)
  if (existing && existing.versions.length > 0 && ifExists === 'ask')
    throw new TargetError(
      'exists',
      `model '${config.name}' already exists on ${target.info.name} (versions ${existing.versions.map((v) => v.version).join(', ')}; serving ${existing.serving ?? 'none'}): publish it as a new version, or replace it`,
    )
  const first = !existing || existing.versions.length === 0
  const reference = await runReference()

  run.progress(0.1, 'uploading', '0%')
  const uploaded = await client.upload(
    config.name,
    source.file,
    {
      sha256: file.sha256,
      size: file.size,
      ...(sideFiles.length > 0 ? { files: sideFiles.map((f) => ({ name: f.location, sha256: f.sha256, size: f.size })) } : {}),
      // A later version arrives as a 0% canary: loaded and callable by version, serving nobody yet.
      ...(first ? { config: configToJson(config) } : { promote: false, canaryPercent: 0 }),
      ...file.record,
      ...(Object.keys(reference.inputStats).length > 0 ? { inputStats: reference.inputStats } : {}),
    },
    {
      idempotencyKey: randomUUID(),
      signal: run.signal,
      onProgress: (sent, total, attempt) =>
        run.progress(0.1 + 0.6 * (total > 0 ? sent / total : 1), 'uploading', `${Math.round((100 * sent) / Math.max(1, total))}%${attempt > 1 ? ` (try ${attempt})` : ''}`),
    },
    sideFiles.map((f) => f.path),
  )
  run.progress(0.72, 'verifying', `version ${uploaded.version}`)
  if (uploaded.sha256 !== file.sha256 || uploaded.size !== file.size)
    throw new TargetError('server', `the server recorded sha256 ${uploaded.sha256.slice(0, 12)}… (${uploaded.size} bytes) for ${file.sha256.slice(0, 12)}… (${file.size} bytes)`)

  run.progress(0.78, 'smoke test', `${reference.rows} rows`)
  let smoke: SmokeResult
  try {
    smoke = smokeOf(reference, await client.infer(config.name, uploaded.version, reference.feed, run.signal))
  } catch (error) {
    if (!first) await withdraw(client, config.name, uploaded.version)
    throw error
  }

  run.progress(0.9, 'live', `version ${uploaded.version}`)
  if (!first) await client.promote(config.name, uploaded.version, run.signal)
  if (ifExists === 'replace') await deleteOthers(client, config.name, uploaded.version)
  const live = await client.describe(config.name, run.signal)
  if (live?.serving !== uploaded.version) throw new TargetError('server', `version ${uploaded.version} was published but ${live?.serving ?? 'nothing'} serves`)
  run.progress(1, 'live', `version ${uploaded.version}`)
  return {
    target: target.info.name,
    kind: 'slipway',
    model: config.name,
    version: uploaded.version,
    endpoint: `${url}/v2/models/${config.name}/infer`,
    sha256: file.sha256,
    sizeBytes: file.size,
    smoke,
    examples: examplesFor(url, config, false),
    attempts: uploaded.attempts,
  }
}

/** A version that failed its smoke test never serves: end its 0% canary and delete it. */
async function withdraw(client: SlipwayClient, name: string, version: string): Promise<void> {
  await client.clearCanary(name).catch(() => undefined)
  await retryConflict(() => client.deleteVersion(name, version)).catch(() => undefined)
}

async function deleteOthers(client: SlipwayClient, name: string, keep: string): Promise<void> {
  const model = await client.describe(name)
  for (const v of model?.versions ?? []) if (v.version !== keep) await retryConflict(() => client.deleteVersion(name, v.version))
}

/** A replaced version is released once its queue drains; deleting it before that is a 409. */
async function retryConflict<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action()
    } catch (error) {
      if (!(error instanceof TargetError) || error.code !== 'conflict' || attempt >= 20) throw error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

async function publishTriton({ target, config, source, runReference, file, ifExists, run }: ServerPublish): Promise<PublishResult> {
  const url = target.info.url!
  const client = new TritonClient(url, target.token)
  run.progress(0.05, 'pre-flight', `reaching ${url}`)
  await client.live(run.signal)
  const rows = await client.index(run.signal)
  const versions = rows.filter((r) => r.name === config.name && r.version).map((r) => Number(r.version))
  if (versions.length > 0 && ifExists === 'ask')
    throw new TargetError('exists', `model '${config.name}' already exists on ${target.info.name} (versions ${versions.join(', ')}): publish it as a new version, or replace it`)
  const version = Math.max(0, ...versions) + 1
  const reference = await runReference()
  const configJson = JSON.stringify(configToJson({ ...config, versionPolicy: { kind: 'specific', versions: [version] } }))
  run.progress(0.1, 'uploading', 'load request')
  await client.load(config.name, configJson, version, source.file, run.signal)
  run.progress(0.75, 'smoke test', `${reference.rows} rows`)
  const smoke = smokeOf(reference, await client.infer(config.name, String(version), reference.feed, run.signal))
  run.progress(1, 'live', `version ${version}`)
  return {
    target: target.info.name,
    kind: 'triton',
    model: config.name,
    version: String(version),
    endpoint: `${url}/v2/models/${config.name}/infer`,
    sha256: file.sha256,
    sizeBytes: file.size,
    smoke,
    examples: examplesFor(url, config, false),
  }
}
