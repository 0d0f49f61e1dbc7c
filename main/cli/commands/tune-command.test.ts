import { describe, expect, it } from 'vitest'
import { parseFidelity, tuneOptionsFrom } from './tune-command'

describe('slipway tune options', () => {
  it('reads a fidelity as top-1 agreement (%) or output SQNR (dB), and refuses anything else', () => {
    expect(parseFidelity('99.5%')).toEqual({ top1Agreement: 0.995 })
    expect(parseFidelity('30dB')).toEqual({ sqnrDb: 30 })
    expect(() => parseFidelity('0.99')).toThrow(/99% or an output SQNR like 30dB/)
    expect(() => parseFidelity('120%')).toThrow(/at most 100%/)
  })

  it('takes one constraint, a known objective and positive numbers', () => {
    expect(tuneOptionsFrom({ data: '/d/x.npy', labels: '/d/y.npy', maxAccuracyDrop: '0.5', batch: '8', timeBudget: '60' })).toEqual({
      dataPath: '/d/x.npy',
      labelsPath: '/d/y.npy',
      maxAccuracyDrop: 0.5,
      objective: 'latency',
      batch: 8,
      timeBudgetS: 60,
    })
    expect(() => tuneOptionsFrom({ data: 'x', maxAccuracyDrop: '1', minFidelity: '99%' })).toThrow(/not both/)
    expect(() => tuneOptionsFrom({ data: 'x', objective: 'speed' })).toThrow(/latency, size or throughput/)
    expect(() => tuneOptionsFrom({ data: 'x', timeBudget: '0' })).toThrow(/--time-budget 0/)
  })
})
