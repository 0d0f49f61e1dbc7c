import { describe, expect, it } from 'vitest'
import { parseTrace } from './profile-trace'

describe('parseTrace', () => {
  it('puts each kernel event in the model_run whose span holds it; session set-up and other events are not runs', () => {
    const node = (name: string, ts: number, dur: number) => ({ cat: 'Node', name: `${name}_kernel_time`, ts, dur, args: { op_name: 'Conv' } })
    const runs = parseTrace([
      { cat: 'Session', name: 'session_initialization', ts: 0, dur: 50 },
      node('during_init', 10, 5),
      node('a', 101, 10),
      node('a', 201, 12),
      { cat: 'Node', name: 'a_fence_before', ts: 201, dur: 0 },
      { cat: 'Session', name: 'SequentialExecutor::Execute', ts: 200, dur: 15 },
      { cat: 'Session', name: 'model_run', ts: 200, dur: 20 },
      { cat: 'Session', name: 'model_run', ts: 100, dur: 15 },
      node('after', 300, 5),
    ])
    expect(runs).toEqual([
      { runUs: 15, kernels: [{ name: 'a', op: 'Conv', us: 10 }] },
      { runUs: 20, kernels: [{ name: 'a', op: 'Conv', us: 12 }] },
    ])
  })
})
