import { describe, expect, it } from 'vitest'
import { problemExamples, problemFlags } from '../../preload/problem-fixtures'
import type { ProblemCode } from '../../preload/api'
import { problemMessage } from './problem-text'

describe("the CLI's words for coded problems", () => {
  it('keep the flag that settles each problem', () => {
    for (const [code, problem] of Object.entries(problemExamples)) {
      const flag = problemFlags[code as ProblemCode]
      if (flag) expect(problemMessage(problem, '/data/calib.npy')).toContain(flag)
    }
  })

  it('keep the wording the CLI has always printed', () => {
    expect(problemMessage(problemExamples['batch-contradicts'])).toBe(
      "batch size 8 contradicts /home/u/ws/models/e859/squeezenet1_1_random.onnx: its input 'x' has a fixed batch of 1",
    )
    expect(problemMessage(problemExamples['data-shape-mismatch'], '/data/calib.npy')).toBe(
      "/data/calib.npy: samples of input 'x' have shape [1,8,8], but /home/u/ws/models/e859/m.onnx expects [N,3,224,224]",
    )
    expect(problemMessage({ ...problemExamples['data-shape-mismatch'], sample: [8, 8] })).toMatch(/^the data: .* \(a sample dim plus 3 more\)$/)
    expect(problemMessage(problemExamples['target-incomplete'])).toBe('a Slipway target needs its admin token (--token-file)')
  })
})
