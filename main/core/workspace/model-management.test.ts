import { copyFile, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppService, type AppService } from '../app-service'
import { jobEnded } from '../jobs/job-test-support'
import { savePublish } from '../publish/publish-metadata'
import { spawnNodeWorker } from '../worker/spawn-node-worker'

let dir: string
let service: AppService

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-manage-'))
  service = await createAppService({ workspaceDir: join(dir, 'ws'), host: 'cli', spawnWorker: spawnNodeWorker })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function bytesUnder(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).size))
  return sizes.reduce((a, b) => a + b, 0)
}

describe('managing models', { timeout: 180_000 }, () => {
  it('renames a model for good: a new service on the same workspace shows the new name, the id stays', async () => {
    const mlp = await service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/digits_mlp.onnx'] })
    const renamed = await service.api.renameModel(mlp.id, '  digits, first try ')
    expect(renamed).toMatchObject({ id: mlp.id, name: 'digits, first try' })
    await expect(service.api.renameModel(mlp.id, '   ')).rejects.toThrow('a name cannot be empty')

    const reopened = await createAppService({ workspaceDir: join(dir, 'ws'), host: 'cli', spawnWorker: spawnNodeWorker })
    expect((await reopened.api.getModel(mlp.id)).name).toBe('digits, first try')
    await service.api.deleteModel(mlp.id)
  })

  it('deletes a model with its variants, their files and results, after a plan that lists them', async () => {
    const cnn = await service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/digits_cnn.onnx'] })
    const other = await service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/mnist-8.onnx'] })
    const made = await jobEnded(service, await service.api.startJob({ kind: 'convert', modelId: cnn.id, options: { to: 'fp16', keepIoTypes: true } }))
    expect(made.state).toBe('succeeded')
    const variant = (await service.api.listModels()).find((m) => m.lineage?.parentId === cnn.id)
    if (!variant) throw new Error('no variant was made')
    const bench = await jobEnded(
      service,
      await service.api.startJob({ kind: 'benchmark', modelIds: [cnn.id, variant.id], options: { batches: [1], iterations: 5, warmup: 1 } }),
    )
    expect(bench.state).toBe('succeeded')
    await savePublish(service.workspace, variant.id, {
      target: 'local',
      kind: 'slipway',
      model: 'digits',
      version: '3',
      sha256: '0'.repeat(64),
      sizeBytes: variant.sizeBytes,
      examples: { curl: '', python: '', javascript: '' },
    })

    const plan = await service.api.planDeletion(cnn.id)
    expect(plan.models).toEqual([
      { id: cnn.id, name: cnn.name },
      { id: variant.id, name: variant.name },
    ])
    // One benchmark stored with each, the variant's publish record (a convert stores no result).
    expect(plan.results).toBe(3)
    expect(plan.sizeBytes).toBe((await bytesUnder(service.workspace.folderOf(cnn.id))) + (await bytesUnder(service.workspace.folderOf(variant.id))))
    expect(plan.sizeBytes).toBeGreaterThan(cnn.sizeBytes + variant.sizeBytes)
    expect(plan.published).toEqual([{ target: 'local', model: 'digits', version: '3' }])

    await service.api.deleteModel(cnn.id)
    expect((await service.api.listModels()).map((m) => m.id)).toEqual([other.id])
    expect(await readdir(join(service.workspace.dir, 'models'))).toEqual([other.id])
    await expect(service.api.listResults(variant.id)).resolves.toEqual([])
    // The variant was written in staging and the deleted folders passed through it; nothing stays there.
    expect(await readdir(join(service.workspace.dir, 'staging'))).toEqual([])
  })

  it('deleting a variant leaves its parent', async () => {
    const mlp = await service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/digits_mlp.onnx'] })
    const made = await jobEnded(service, await service.api.startJob({ kind: 'convert', modelId: mlp.id, options: { to: 'fp16', keepIoTypes: true } }))
    expect(made.state).toBe('succeeded')
    const variant = (await service.api.listModels()).find((m) => m.lineage?.parentId === mlp.id)
    if (!variant) throw new Error('no variant was made')
    expect((await service.api.planDeletion(variant.id)).models.map((m) => m.id)).toEqual([variant.id])
    await service.api.deleteModel(variant.id)
    expect((await service.api.listModels()).map((m) => m.id)).toContain(mlp.id)
    expect((await service.api.listModels()).map((m) => m.id)).not.toContain(variant.id)
  })

  it('leaves staging empty when an import fails, from a path or from an upload', async () => {
    // A fresh workspace, so that nothing else passes through its staging folder.
    const fresh = await createAppService({ workspaceDir: join(dir, 'imports'), host: 'cli', spawnWorker: spawnNodeWorker })
    const staged = (): Promise<string[]> => readdir(join(fresh.workspace.dir, 'staging'))
    // A real file that is not a model: a data set given the model's extension.
    const bad = join(dir, 'digits.onnx')
    await copyFile('test-fixtures/data/digits_test_y.npy', bad)
    await expect(fresh.api.importModel({ kind: 'paths', paths: [bad] })).rejects.toThrow(/not a valid ONNX model/)
    expect(await staged()).toEqual([])

    const upload = await fresh.createUpload()
    await copyFile(bad, join(upload.dir, 'digits.onnx'))
    await expect(fresh.api.importModel({ kind: 'upload', uploadId: upload.id })).rejects.toThrow(/digits\.onnx: .*not a valid ONNX model/)
    expect(await staged()).toEqual([])

    const broken = await fresh.createUpload()
    await writeFile(join(broken.dir, 'half.onnx'), 'part of a file')
    await fresh.discardUpload(broken.id)
    expect(await staged()).toEqual([])
    await expect(fresh.api.importModel({ kind: 'upload', uploadId: broken.id })).rejects.toThrow('the upload is unknown or was already imported')

    const empty = await fresh.createUpload()
    await expect(fresh.api.addDataFile({ kind: 'upload', uploadId: empty.id })).rejects.toThrow('the upload holds no file')
    expect(await staged()).toEqual([])
  })

  it('clears finished jobs from the list and keeps the rest', async () => {
    const before = service.jobs.list().length
    expect(before).toBeGreaterThan(0)
    const cleared = await service.api.clearFinishedJobs()
    expect(cleared).toHaveLength(before)
    expect(await service.api.listJobs()).toEqual([])
  })
})
