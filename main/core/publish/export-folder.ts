// Folder export: a Triton model repository (NAME/config.pbtxt, NAME/<version>/model.onnx, plus
// slipway.json with lineage and benchmark summary, which Triton ignores), and for --format kserve an
// InferenceService manifest for KServe's Triton runtime; a README gives the commands to serve either.
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { configToPbtxt, type ModelConfig } from '../serving/model-config'
import { UserError } from '../errors'
import { writeFileAtomic } from '../serving/atomic-write'
import { TargetError } from './http-client'

export interface ExportRequest {
  readonly outDir: string
  readonly format: 'triton' | 'kserve'
  readonly config: ModelConfig
  readonly modelFile: string
  /** The model's external data files, copied beside it under their locations. */
  readonly sideFiles?: readonly { readonly path: string; readonly location: string; readonly sha256: string; readonly size: number }[]
  readonly sha256: string
  readonly size: number
  readonly ifExists: 'ask' | 'new-version' | 'replace'
  readonly record: Readonly<Record<string, unknown>>
}

export interface ExportResult {
  readonly version: string
  readonly files: readonly string[]
}

async function versionsIn(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names.filter((n) => /^[1-9][0-9]*$/.test(n)).map(Number).sort((a, b) => a - b)
}

export async function exportFolder(request: ExportRequest): Promise<ExportResult> {
  const name = request.config.name
  const modelDir = join(request.outDir, name)
  const existing = await versionsIn(modelDir)
  if (existing.length > 0 && request.ifExists === 'ask')
    throw new TargetError('exists', `${modelDir} already holds model '${name}' (versions ${existing.join(', ')}): choose a new version or replace it`)
  const version = request.ifExists === 'replace' ? 1 : Math.max(0, ...existing) + 1
  const sideFiles = request.sideFiles ?? []
  await mkdir(request.outDir, { recursive: true })
  // The version folder is assembled beside its final place and appears by one rename.
  const staging = join(request.outDir, `.${name}.${version}.partial`)
  await rm(staging, { recursive: true, force: true })
  await mkdir(staging, { recursive: true })
  try {
    await copyFile(request.modelFile, join(staging, 'model.onnx'))
    for (const side of sideFiles) {
      await mkdir(dirname(join(staging, side.location)), { recursive: true })
      await copyFile(side.path, join(staging, side.location))
    }
    const files = sideFiles.length > 0 ? { files: sideFiles.map((f) => ({ name: f.location, sha256: f.sha256, size: f.size })) } : {}
    await writeFileAtomic(join(staging, 'slipway.json'), JSON.stringify({ sha256: request.sha256, size: request.size, createdAt: new Date().toISOString(), ...files, ...request.record }, null, 2))
    if (request.ifExists === 'replace') await rm(modelDir, { recursive: true, force: true })
    await mkdir(modelDir, { recursive: true })
    await rename(staging, join(modelDir, String(version)))
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    throw error instanceof UserError ? error : new UserError(`cannot write the export to ${request.outDir}: ${(error as Error).message}`)
  }
  const config: ModelConfig = { ...request.config, versionPolicy: { kind: 'specific', versions: [version] } }
  await writeFileAtomic(join(modelDir, 'config.pbtxt'), configToPbtxt(config))
  const files = [
    join(name, 'config.pbtxt'),
    join(name, String(version), 'model.onnx'),
    ...sideFiles.map((f) => join(name, String(version), f.location)),
    join(name, String(version), 'slipway.json'),
    'README.md',
  ]
  if (request.format === 'kserve') {
    await writeFileAtomic(join(request.outDir, 'inference-service.yaml'), inferenceServiceYaml(name))
    files.push('inference-service.yaml')
  }
  await writeFileAtomic(join(request.outDir, 'README.md'), exportReadme(name, request.format, config))
  return { version: String(version), files }
}

/** KServe's InferenceService on its Triton runtime; the storage URI points at this repository's copy. */
export function inferenceServiceYaml(name: string): string {
  const isvc = name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'model'
  return `# KServe InferenceService serving the Triton model repository next to this file.
# Copy the repository to object storage first (see README.md), then set storageUri to it.
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${isvc}
spec:
  predictor:
    model:
      modelFormat:
        name: onnx
      # ONNX models need the v2 protocol, or KServe finds no runtime.
      protocolVersion: v2
      runtime: kserve-tritonserver
      storageUri: s3://YOUR-BUCKET/model_repository
      resources:
        requests: { cpu: "1", memory: 2Gi }
        limits: { cpu: "1", memory: 2Gi }
`
}

function exportReadme(name: string, format: 'triton' | 'kserve', config: ModelConfig): string {
  const input = config.inputs[0]
  const shape = input ? [...(config.maxBatchSize > 0 ? [1] : []), ...input.dims.map((d) => (d < 0 ? 1 : d))] : []
  const kserve =
    format === 'kserve'
      ? `
## KServe

\`\`\`sh
aws s3 sync . s3://YOUR-BUCKET/model_repository --exclude '*' --include '${name}/*'
# edit storageUri in inference-service.yaml, then:
kubectl apply -f inference-service.yaml
kubectl get inferenceservice ${name.toLowerCase()}
\`\`\`

The inference path is \`/v2/models/${name}/infer\` on the InferenceService's URL (the model name is the
folder name, not the InferenceService name).
`
      : ''
  return `# ${name}: a Triton model repository exported by Slipway

\`${name}/config.pbtxt\` declares the inputs and outputs read from the model (max_batch_size ${config.maxBatchSize});
\`${name}/<version>/slipway.json\` records its sha256, lineage and benchmark summary (Triton ignores it).

## Triton

\`\`\`sh
docker run --rm -p 8000:8000 -p 8002:8002 -v "$PWD":/models nvcr.io/nvidia/tritonserver:25.01-py3 \\
  tritonserver --model-repository=/models
curl -s localhost:8000/v2/models/${name}
\`\`\`

Or serve it with Slipway: \`slipway serve --repo .\`
${kserve}
## Call it

\`\`\`sh
curl -s -X POST localhost:8000/v2/models/${name}/infer -H 'content-type: application/json' \\
  -d '{"inputs":[{"name":"${input?.name ?? 'input'}","shape":${JSON.stringify(shape)},"datatype":"${input?.datatype ?? 'FP32'}","data":[...]}]}'
\`\`\`
`
}
