import { describe, expect, it } from 'vitest'
import type { ErrorInfo } from '../../preload/api'
import { problemExamples } from '../../preload/problem-fixtures'
import { uiMessage } from './problem-text'

const flag = /(^|\s|\()--[a-z]/
const absolutePath = /(^|[\s'"(])(\/|[A-Za-z]:\\)[^\s]*[\\/]/

describe("the UI's words for errors", () => {
  it('word every coded problem in one line with no CLI flag and no path', () => {
    for (const problem of Object.values(problemExamples)) {
      const { line } = uiMessage({ name: 'UserError', message: 'the CLI text', problem, file: '/home/u/ws/data/1c2d/calib.npy' })
      expect(line, problem.code).not.toMatch(flag)
      expect(line, problem.code).not.toMatch(absolutePath)
      expect(line, problem.code).not.toContain('\n')
    }
  })

  it("name the form field that settles the problem", () => {
    expect(uiMessage({ name: 'UserError', message: '', problem: problemExamples['calibration-needed'] }).line).toContain('Calibration data')
    expect(uiMessage({ name: 'UserError', message: '', problem: problemExamples['batch-contradicts'] }).line).toContain('Batch sizes')
    expect(uiMessage({ name: 'UserError', message: '', problem: problemExamples['target-incomplete'] }).line).toContain('Admin token')
  })

  it('show a file by its name and keep ONNX Runtime text and node lists as details', () => {
    const info: ErrorInfo = {
      name: 'ModelLoadError',
      message: '/home/u/ws/models/e859/squeezenet1_1_random.onnx: ONNX Runtime cannot load it: Load model failed: Protobuf parsing failed',
      file: '/home/u/ws/models/e859/squeezenet1_1_random.onnx',
      reason: 'ONNX Runtime cannot load it',
      details: ['Load model failed: Protobuf parsing failed'],
    }
    expect(uiMessage(info)).toEqual({ line: 'squeezenet1_1_random.onnx: ONNX Runtime cannot load it', details: ['Load model failed: Protobuf parsing failed'] })
    expect(uiMessage({ name: 'FileError', message: 'C:\\ws\\data\\calib.npy: not an .npy file', file: 'C:\\ws\\data\\calib.npy', reason: 'not an .npy file' }).line).toBe('calib.npy: not an .npy file')
  })

  it('keep a plain message, its first line as the line and the rest as details', () => {
    expect(uiMessage({ name: 'UserError', message: 'the upload is unknown' })).toEqual({ line: 'the upload is unknown', details: [] })
    expect(uiMessage({ name: 'UserError', message: 'two problems:\n- one\n- two' })).toEqual({ line: 'two problems:', details: ['- one', '- two'] })
  })
})
