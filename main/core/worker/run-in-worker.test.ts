import { describe, expect, it } from 'vitest'
import { spawnNodeWorker } from './spawn-node-worker'
import { runInWorker } from './run-in-worker'

describe('runInWorker', () => {
  it('checks that ONNX Runtime loads a real model in a separate process', async () => {
    const result = await runInWorker(spawnNodeWorker, 'check-runtime', {
      modelPath: 'test-fixtures/onnx/digits_mlp.onnx',
      format: 'onnx',
    })
    expect(result.loads).toBe(true)
    expect(result.sessionCreateMs).toBeGreaterThan(0)
  })

  it('reports a model ONNX Runtime refuses without crashing the caller', async () => {
    const result = await runInWorker(spawnNodeWorker, 'check-runtime', {
      modelPath: 'package.json',
      format: 'onnx',
    })
    expect(result.loads).toBe(false)
    expect(result.error).toMatch(/protobuf|parse|load/i)
  })

  it('fails the task with the signal when the worker is killed', async () => {
    let pid = 0
    const run = runInWorker(spawnNodeWorker, 'check-runtime', {
      modelPath: 'test-fixtures/onnx/digits_mlp.onnx', format: 'onnx',
    }, { onStarted: (p) => { pid = p; process.kill(p, 'SIGKILL') } })
    await expect(run).rejects.toThrow(/killed by SIGKILL/)
    expect(pid).toBeGreaterThan(0)
  })
})
