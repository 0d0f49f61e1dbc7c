import { describe, expect, it } from 'vitest'
import { problemExamples } from '../../preload/problem-fixtures'
import { FileError, fromErrorInfo, InputSpecError, ProblemError, runtimeError, toErrorInfo, UnchangedError, UserError } from './errors'

/** Across a process boundary and back, as a worker's error reaches the job queue. */
const crossed = (error: unknown): Error => fromErrorInfo(JSON.parse(JSON.stringify(toErrorInfo(error))))

describe('errors as plain data', () => {
  it('keep a coded problem, its file and the CLI message across processes', () => {
    const problem = problemExamples['data-shape-mismatch']
    const error = new ProblemError(problem, '/ws/data/4f1e/calib.npy')
    const back = crossed(error)
    expect(back).toBeInstanceOf(UserError)
    expect(back.message).toBe(error.message)
    expect(back.message).toContain('/ws/data/4f1e/calib.npy')
    expect(toErrorInfo(back)).toEqual({ name: 'UserError', message: error.message, problem, file: '/ws/data/4f1e/calib.npy' })
  })

  it("keep a file apart from its problem, and ONNX Runtime's text as details", () => {
    expect(toErrorInfo(new FileError('/ws/models/a/m.onnx', 'not a valid ONNX model'))).toEqual({
      name: 'FileError',
      message: '/ws/models/a/m.onnx: not a valid ONNX model',
      file: '/ws/models/a/m.onnx',
      reason: 'not a valid ONNX model',
    })
    const refused = runtimeError('ONNX Runtime cannot load it', 'Load model failed', '/ws/models/a/m.onnx')
    expect(refused.message).toBe('/ws/models/a/m.onnx: ONNX Runtime cannot load it: Load model failed')
    expect(toErrorInfo(crossed(refused))).toMatchObject({ file: '/ws/models/a/m.onnx', reason: 'ONNX Runtime cannot load it', details: ['Load model failed'] })
  })

  it('keep the kind of input problems and warnings', () => {
    const inputs = new InputSpecError('m: dim 1 is dynamic', [{ input: 'x', needs: 'shape', problem: 'dim 1 is dynamic' }], { file: 'm', reason: 'dim 1 is dynamic' })
    const back = crossed(inputs)
    expect(back).toBeInstanceOf(InputSpecError)
    expect(toErrorInfo(back)).toMatchObject({ name: 'InputSpecError', file: 'm', reason: 'dim 1 is dynamic', inputProblems: [{ input: 'x' }] })
    const unchanged = crossed(new UnchangedError('nothing to quantize', { reason: 'nothing to quantize (2 nodes)', details: ['a: x', 'b: x'] }))
    expect(toErrorInfo(unchanged)).toEqual({ name: 'UnchangedError', message: 'nothing to quantize', reason: 'nothing to quantize (2 nodes)', details: ['a: x', 'b: x'] })
  })

  it('report anything else as an internal error, without facts', () => {
    expect(toErrorInfo(new TypeError('x is undefined'))).toEqual({ name: 'InternalError', message: 'internal error: x is undefined' })
  })
})
