// The publish job through the app service, as the UI starts it: the sample model smoke-tested on the
// sample's real digits, stored as published only when live; a server that is down fails the job and
// stores nothing; 'replace' leaves only the new version.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublishResult, WorkspaceLineage } from '../../../preload/api'
import { startServer, type RunningServer } from '../../../server/server'
import { createAppService, type AppService } from '../app-service'
import { MemorySecretStore } from '../publish/secret-store'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { jobEnded } from './job-test-support'

const ADMIN = 'publish-job-admin-token-0123456'
let dir: string
let server: RunningServer
let service: AppService

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-publish-job-'))
  server = await startServer({ repo: join(dir, 'repo'), port: 0, adminToken: ADMIN })
  service = await createAppService({ workspaceDir: join(dir, 'ws'), host: 'cli', spawnWorker: spawnNodeWorker, addSampleOnFirstRun: true, secretStore: new MemorySecretStore() })
  await service.api.addTarget({ name: 'local', kind: 'slipway', url: server.url, token: ADMIN })
  await service.api.addTarget({ name: 'down', kind: 'slipway', url: 'http://127.0.0.1:9', token: ADMIN })
}, 300_000)

afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('publish job', { timeout: 600_000 }, () => {
  it('publishes the sample with real inputs, and records only what went live', async () => {
    const [sample] = await service.api.listModels()
    const down = await jobEnded(service, await service.api.startJob({ kind: 'publish', modelId: sample!.id, options: { target: 'down', name: 'digits' } }))
    expect(down.state).toBe('failed')
    expect(down.error?.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/)
    expect((await service.api.listResults(sample!.id)).filter((r) => (r.value as { kind: string }).kind === 'publish')).toEqual([])

    const job = await jobEnded(service, await service.api.startJob({ kind: 'publish', modelId: sample!.id, options: { target: 'local', name: 'digits' } }))
    expect(job.state).toBe('succeeded')
    const result = job.result as PublishResult
    expect(result.version).toBe('1')
    // The sample's real digits, not random values: the first data file that fits the model's input.
    expect(result.smoke?.inputs).toMatch(/^digits_(calib|test_x)\.npy$/)
    const stored = (await service.api.listResults(sample!.id)).filter((r) => (r.value as { kind: string }).kind === 'publish')
    expect(stored).toHaveLength(1)

    const replaced = await jobEnded(service, await service.api.startJob({ kind: 'publish', modelId: sample!.id, options: { target: 'local', name: 'digits', ifExists: 'replace' } }))
    expect(replaced.state).toBe('succeeded')
    const list = await service.api.listDeployments('local')
    const digits = list.models.find((m) => m.name === 'digits')
    expect(digits?.serving).toBe('2')
    expect(digits?.versions.map((v) => v.version)).toEqual(['2'])
    expect((digits?.versions[0]?.lineage as WorkspaceLineage).chain.map((s) => s.name)).toEqual(['digits_cnn (sample)'])
    expect(JSON.stringify(await service.api.listTargets())).not.toContain(ADMIN)
  })
})
