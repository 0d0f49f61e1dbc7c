import { describe, expect, it } from 'vitest'
import type { JobInfo } from '../../preload/api'
import { createAppStore } from './app-store'
import { jobSummary } from './jobs-slice'
import { fakeBridge } from './fake-bridge'

function job(id: string, state: JobInfo['state']): JobInfo {
  return { id, kind: 'inspect', title: id, state, progress: { fraction: state === 'running' ? 0.5 : 1, stage: state }, createdAt: '2026-01-01T00:00:00Z' }
}

describe('the job tray in the store', () => {
  it('summarises the jobs in one line, leaving out states no job is in', () => {
    const jobs = [job('a', 'running'), job('b', 'succeeded'), job('c', 'running'), job('d', 'failed'), job('e', 'succeeded'), job('f', 'succeeded')]
    expect(jobSummary(jobs)).toBe('2 running · 3 done · 1 failed')
    expect(jobSummary([job('q', 'queued'), job('x', 'cancelled')])).toBe('1 queued · 1 cancelled')
    expect(jobSummary([])).toBe('')
  })

  it('clears the jobs the engine forgot and keeps the running one', async () => {
    const listed = [job('a', 'succeeded'), job('b', 'running'), job('c', 'failed'), job('d', 'cancelled')]
    const bridge = fakeBridge({ listJobs: async () => listed, clearFinishedJobs: async () => ['a', 'c', 'd'] })
    const store = createAppStore(bridge)
    await store.getState().loadJobs()
    expect(store.getState().jobOrder).toEqual(['a', 'b', 'c', 'd'])
    await store.getState().clearFinishedJobs()
    expect(store.getState().jobOrder).toEqual(['b'])
    expect(Object.keys(store.getState().jobs)).toEqual(['b'])
  })

  it('shows a refused clear as a notice and keeps the list', async () => {
    const bridge = fakeBridge({
      listJobs: async () => [job('a', 'succeeded')],
      clearFinishedJobs: async () => {
        throw new Error('the engine is gone')
      },
    })
    const store = createAppStore(bridge)
    await store.getState().loadJobs()
    await store.getState().clearFinishedJobs()
    expect(store.getState().jobOrder).toEqual(['a'])
    expect(store.getState().notice).toEqual({ kind: 'error', error: { name: 'Error', message: 'the engine is gone' } })
  })

  it('collapses to its summary line and expands again', () => {
    const store = createAppStore(fakeBridge({}))
    expect(store.getState().trayCollapsed).toBe(false)
    store.getState().setTrayCollapsed(true)
    expect(store.getState().trayCollapsed).toBe(true)
    store.getState().setTrayCollapsed(false)
    expect(store.getState().trayCollapsed).toBe(false)
  })
})
