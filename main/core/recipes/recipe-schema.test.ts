import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRecipe, readRecipeFile, stepLabel } from './recipe-schema'

describe('recipe files', () => {
  it('reads the steps in order, with their options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-recipe-'))
    const path = join(dir, 'recipe.json')
    await writeFile(
      path,
      JSON.stringify({
        name: 'slim int8',
        steps: [
          { step: 'prune', options: { method: 'structured', ratio: 0.3, criterion: 'l2' } },
          { step: 'optimize', options: { level: 'extended' } },
          { step: 'quantize', options: { mode: 'static', calibPath: 'calib.npy', perChannel: true } },
          { step: 'fp16' },
        ],
      }),
    )
    const recipe = await readRecipeFile(path)
    expect(recipe.steps.map(stepLabel)).toEqual(['prune structured 0.3', 'optimize extended', 'quantize static', 'fp16'])
  })

  it('names the file and the place of every problem', async () => {
    expect(() => parseRecipe('{"steps": [', 'r.json')).toThrow(/^r\.json: not valid JSON/)
    expect(() => parseRecipe('{"steps": []}', 'r.json')).toThrow('r.json: not a valid recipe: steps: Too small')
    expect(() => parseRecipe(JSON.stringify({ steps: [{ step: 'prune', options: { method: 'magnitude', sparsity: 1.5 } }] }), 'r.json')).toThrow(
      'steps.0.options.sparsity',
    )
    expect(() => parseRecipe(JSON.stringify({ steps: [{ step: 'quantize', options: { mode: 'static' } }] }), 'r.json')).toThrow(
      'static quantization needs calibPath',
    )
    expect(() => parseRecipe(JSON.stringify({ steps: [{ step: 'shrink' }] }), 'r.json')).toThrow('steps.0.step')
    await expect(readRecipeFile('/nonexistent/recipe.json')).rejects.toThrow('/nonexistent/recipe.json: file not found')
  })
})
