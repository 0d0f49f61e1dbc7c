import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelEntry, TuneOptions, TuneReport } from '../../../preload/api'
import { createAppService, type AppService } from '../app-service'
import { tunedSettingsOf } from '../publish/publish-metadata'
import { spawnNodeWorker } from '../worker/spawn-node-worker'

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test-fixtures/${path}`, import.meta.url))
let dir: string
let service: AppService
let mlp: ModelEntry

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-tune-'))
  service = await createAppService({ workspaceDir: dir, host: 'cli', spawnWorker: spawnNodeWorker })
  mlp = await service.api.importModel({ kind: 'paths', paths: [fixture('onnx/digits_mlp.onnx')] })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('tune', () => {
  it('on the digits MLP: a cancelled search resumes without redoing its candidates, and ends with variants, a front, a pick and settings', async () => {
    const options: TuneOptions = { dataPath: fixture('data/digits_test_x.npy'), labelsPath: fixture('data/digits_test_y.npy'), maxAccuracyDrop: 1, timeBudgetS: 6 }
    const first = await service.api.startJob({ kind: 'tune', modelId: mlp.id, options })
    let log: unknown
    const stop = service.on('job-updated', ({ job }) => {
      const partial = job.progress.partial as TuneReport | undefined
      if (job.id !== first || !partial) return
      log = partial.log
      if (partial.candidates.some((c) => !['queued', 'running'].includes(c.status))) service.jobs.cancel(first)
    })
    expect((await service.jobs.waitFor(first)).state, JSON.stringify(log)).toBe('cancelled')
    stop()
    const stored = (await service.workspace.listResults(mlp.id)).map((r) => r.value as TuneReport).find((r) => r.kind === 'tune')
    expect(stored?.state).toBe('running')
    const settledBefore = stored?.candidates.filter((c) => !['queued', 'running', 'skipped'].includes(c.status)) ?? []
    expect(settledBefore.length).toBeGreaterThan(0)

    const second = await service.api.startJob({ kind: 'tune', modelId: mlp.id, options })
    const info = await service.jobs.waitFor(second)
    expect(info.error?.message).toBeUndefined()
    const report = info.result as TuneReport
    expect(report.candidates.filter((c) => c.status === 'done').length, JSON.stringify(report.log)).toBeGreaterThan(0)
    expect(report.id).toBe(stored?.id)
    expect(report.state).toBe('done')
    expect(report.log.map((l) => l.text)).toContainEqual(expect.stringMatching(/^resumed: \d+ of \d+ candidates were already settled/))
    // The settled candidates kept their variants; nothing was made twice.
    for (const before of settledBefore) expect(report.candidates.find((c) => c.key === before.key)?.modelId).toBe(before.modelId)
    const made = report.candidates.filter((c) => c.modelId !== undefined)
    const models = await service.api.listModels()
    expect(models.filter((m) => m.lineage).map((m) => m.id).sort()).toEqual(made.map((c) => c.modelId).sort())
    for (const c of made) expect(models.find((m) => m.id === c.modelId)?.lineage?.parentId).toBe(c.parentKey === undefined ? mlp.id : report.candidates.find((p) => p.key === c.parentKey)?.modelId)
    // The tiny budget left candidates out, and the log says so.
    expect(report.candidates.some((c) => c.status === 'skipped')).toBe(true)
    expect(report.log.some((l) => l.kind === 'dropped' && /time budget/.test(l.text))).toBe(true)
    // Every measured candidate carries its latency with an interval, and its accuracy drop against the budget.
    for (const c of report.candidates.filter((c) => c.status === 'done')) {
      expect(c.p50HalfWidthMs).toBeGreaterThanOrEqual(0)
      expect(c.meets).toBe((c.accuracyDropPoints as number) <= 1)
    }
    expect(report.front.length).toBeGreaterThan(0)
    expect(report.recommended).not.toBeNull()
    const pick = report.candidates.find((c) => c.modelId === report.recommended)
    expect(pick === undefined ? report.recommended === mlp.id : pick.meets).toBe(true)
    expect(report.settings?.note).toMatch(/thread/)
    // Publishing the recommended model carries its settings into the deployment config.
    expect(await tunedSettingsOf(service.workspace, report.recommended as string)).toEqual({
      intraOpThreads: report.settings?.intraOpThreads,
      graphOptimizationLevel: report.settings?.graphOptimizationLevel,
    })
  })
})
