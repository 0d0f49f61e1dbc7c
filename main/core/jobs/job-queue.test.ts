import { describe, expect, it } from 'vitest'
import type { JobInfo } from '../../../preload/api'
import { CancelledError, UserError } from '../errors'
import { JobQueue } from './job-queue'

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('JobQueue', () => {
  it('runs a job to success with its result and reports every state', async () => {
    const states: string[] = []
    const queue = new JobQueue((job) => states.push(job.state))
    const id = queue.start({ kind: 'recipe', title: 't', run: async (job) => { job.progress(1, 'done'); return { variants: ['v1'], final: 'v1' } } })
    const info = await queue.waitFor(id)
    expect(info.state).toBe('succeeded')
    expect(info.kind === 'recipe' && info.result?.final).toBe('v1')
    expect(states[0]).toBe('queued')
    expect(states).toContain('running')
  })

  it('turns a thrown user error into a failed job with the message, and an internal one into "internal error"', async () => {
    const queue = new JobQueue(() => undefined)
    const a = queue.start({ kind: 'inspect', title: 'a', run: async () => { throw new UserError('the file is empty') } })
    const b = queue.start({ kind: 'inspect', title: 'b', run: async () => { throw new TypeError('x is undefined') } })
    expect((await queue.waitFor(a)).error).toEqual({ name: 'UserError', message: 'the file is empty' })
    expect((await queue.waitFor(b)).error?.message).toBe('internal error: x is undefined')
  })

  it('runs at most `concurrency` jobs at once and cancels queued and running jobs', async () => {
    const gate = deferred()
    const queue = new JobQueue(() => undefined, 1)
    let started = 0
    const first = queue.start({
      kind: 'inspect',
      title: 'first',
      run: async (job) => {
        started++
        await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()))
        throw new CancelledError()
      },
    })
    const second = queue.start({ kind: 'recipe', title: 'second', run: async () => { started++; await gate.promise; return { variants: [] } } })
    expect(queue.get(second)?.state).toBe('queued')
    queue.cancel(second)
    queue.cancel(first)
    const infos: JobInfo[] = [await queue.waitFor(first), await queue.waitFor(second)]
    expect(infos.map((info) => info.state)).toEqual(['cancelled', 'cancelled'])
    expect(started).toBe(1)
  })

  it('forgets succeeded, failed and cancelled jobs when cleared, and keeps the ones still running', async () => {
    const gate = deferred()
    const queue = new JobQueue(() => undefined)
    const done = queue.start({ kind: 'recipe', title: 'done', run: async () => ({ variants: [] }) })
    const failed = queue.start({ kind: 'inspect', title: 'failed', run: async () => { throw new UserError('bad file') } })
    await Promise.all([queue.waitFor(done), queue.waitFor(failed)])
    const running = queue.start({ kind: 'recipe', title: 'running', run: async () => { await gate.promise; return { variants: [] } } })
    expect(queue.clearFinished().sort()).toEqual([done, failed].sort())
    expect(queue.list().map((job) => job.id)).toEqual([running])
    gate.resolve()
    expect((await queue.waitFor(running)).state).toBe('succeeded')
  })
})
