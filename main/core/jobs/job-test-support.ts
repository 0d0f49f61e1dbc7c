// For tests that drive the engine through the app service as the UI does: a service on a workspace of its
// own, and waiting for a job to end.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { JobInfo } from '../../../preload/api'
import { createAppService, type AppService } from '../app-service'
import { spawnNodeWorker } from '../worker/spawn-node-worker'

export interface TempService {
  /** The workspace folder. */
  readonly dir: string
  readonly service: AppService
}

/**
 * A service on a fresh workspace in a temp folder (named from `prefix`) for the tests of one file: made
 * before the first test, removed after the last. Read its fields inside tests, not when the file loads.
 */
export function tempService(prefix: string): TempService {
  let made: TempService | undefined
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix))
    made = { dir, service: await createAppService({ workspaceDir: dir, host: 'cli', spawnWorker: spawnNodeWorker }) }
  })
  afterAll(async () => {
    if (made) await rm(made.dir, { recursive: true, force: true })
  })
  const current = (): TempService => {
    if (!made) throw new Error('tempService is read before its beforeAll ran')
    return made
  }
  return {
    get dir() {
      return current().dir
    },
    get service() {
      return current().service
    },
  }
}

/** Resolves with the job once it has succeeded, failed or been cancelled (it may have ended already). */
export function jobEnded(service: AppService, id: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const check = (job: JobInfo): void => {
      if (job.id === id && ['succeeded', 'failed', 'cancelled'].includes(job.state)) resolve(job)
    }
    service.on('job-updated', ({ job }) => check(job))
    service.jobs.list().forEach(check)
  })
}
