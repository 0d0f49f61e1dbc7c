// One example of every coded problem, for the tests of both wordings (the CLI's and the UI's): the
// Record's type makes a new code fail to compile until it has an example here.
import type { Problem, ProblemCode } from './problems'

export const problemExamples: { readonly [C in ProblemCode]: Extract<Problem, { code: C }> } = {
  'batch-contradicts': { code: 'batch-contradicts', model: '/home/u/ws/models/e859/squeezenet1_1_random.onnx', input: 'x', batch: 8, fixed: 1 },
  'shape-contradicts': { code: 'shape-contradicts', model: '/home/u/ws/models/e859/m.onnx', input: 'x', given: [1, 3, 128, 128], expected: [1, 3, 224, 224], dim: 2 },
  'data-lacks-input': { code: 'data-lacks-input', model: '/home/u/ws/models/e859/m.onnx', input: 'mask' },
  'data-shape-mismatch': { code: 'data-shape-mismatch', model: '/home/u/ws/models/e859/m.onnx', input: 'x', sample: [1, 8, 8], expected: ['N', 3, 224, 224] },
  'calibration-needed': { code: 'calibration-needed' },
  'image-size-dynamic': { code: 'image-size-dynamic', input: 'x', dims: [1, 3, 'H', 'W'] },
  'setting-out-of-range': { code: 'setting-out-of-range', setting: 'sparsity', value: 1.5, rule: 'must be at least 0 and below 1', why: 'it is the fraction of weights set to zero' },
  'target-incomplete': { code: 'target-incomplete', kind: 'slipway', missing: 'token' },
  'no-admin-token': { code: 'no-admin-token', url: 'http://127.0.0.1:8000' },
  'ratio-empties-layer': { code: 'ratio-empties-layer', ratio: 0.99, channels: 32, op: 'Conv', node: 'conv1' },
  'triton-request-too-large': { code: 'triton-request-too-large', size: 50 * 1024 * 1024, requestBytes: 70_000_000 },
  'triton-not-explicit': { code: 'triton-not-explicit', message: 'HTTP 400: failed to load' },
}

/** The flag each example's CLI message names, where it names one. */
export const problemFlags: { readonly [C in ProblemCode]?: string } = {
  'calibration-needed': '--calib',
  'image-size-dynamic': '--resize',
  'setting-out-of-range': '--sparsity',
  'target-incomplete': '--token-file',
  'no-admin-token': '--token-file',
  'triton-not-explicit': '--model-control-mode',
  'ratio-empties-layer': '--ratio',
  'triton-request-too-large': '--http-max-input-size',
}
