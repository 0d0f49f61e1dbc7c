import { describe, expect, it } from 'vitest'
import { listValue, recipeCards } from './recipe-cards'

const card = (id: string) => recipeCards.find((c) => c.id === id)!

describe('recipe cards', () => {
  it('turn a preset into the job request the engine takes', () => {
    const staticInt8 = card('static-int8')
    expect(staticInt8.request('m', staticInt8.presets[0]!.values, '/data/calib.npy')).toEqual({
      kind: 'quantize',
      modelId: 'm',
      options: { mode: 'static', calibPath: '/data/calib.npy', method: 'minmax', samples: 200, perChannel: true, errorReport: true },
    })
    const prune = card('structured-prune')
    expect(prune.request('m', { ...prune.presets[1]!.values, excludeNodes: 'conv1, fc' }, null)).toEqual({
      kind: 'prune',
      modelId: 'm',
      options: { method: 'structured', ratio: 0.5, criterion: 'l1', includeFirstLast: false, excludeNodes: ['conv1', 'fc'] },
    })
  })

  it('has presets for every card and options covering each preset value', () => {
    for (const c of recipeCards) {
      expect(c.presets.length).toBeGreaterThan(0)
      for (const preset of c.presets) for (const key of Object.keys(preset.values)) expect(c.fields.map((f) => f.key)).toContain(key)
    }
    expect(listValue(' , ')).toBeUndefined()
  })
})
