import { describe, expect, it } from 'vitest'
import { pruneOptionsFromFlags } from './prune-command'

describe('prune flags', () => {
  it('turns flags into the contract options', () => {
    expect(pruneOptionsFromFlags({ out: 'o', sparsity: '0.5', scope: 'layer', excludeNodes: 'a, b', includeFirstLast: true })).toEqual({
      method: 'magnitude',
      sparsity: 0.5,
      scope: 'layer',
      excludeNodes: ['a', 'b'],
      includeFirstLast: true,
    })
    expect(pruneOptionsFromFlags({ out: 'o', structured: true, ratio: '0.3', criterion: 'l2', channelMultiple: '1', data: 'x.npy' })).toEqual({
      method: 'structured',
      ratio: 0.3,
      criterion: 'l2',
      channelMultiple: 1,
      dataPath: 'x.npy',
    })
  })

  it('says what is wrong with bad flags before any work starts', () => {
    expect(() => pruneOptionsFromFlags({ out: 'o' })).toThrow('give --sparsity S (magnitude pruning) or --structured --ratio R')
    expect(() => pruneOptionsFromFlags({ out: 'o', sparsity: '1' })).toThrow('--sparsity must be at least 0 and below 1 (got 1)')
    expect(() => pruneOptionsFromFlags({ out: 'o', sparsity: 'half' })).toThrow("--sparsity must be a number (got 'half')")
    expect(() => pruneOptionsFromFlags({ out: 'o', structured: true })).toThrow('--structured needs --ratio R')
    expect(() => pruneOptionsFromFlags({ out: 'o', structured: true, ratio: '0.3', criterion: 'l3' })).toThrow('--criterion must be one of l1, l2')
    expect(() => pruneOptionsFromFlags({ out: 'o', ratio: '0.3' })).toThrow('--ratio needs --structured')
  })
})
