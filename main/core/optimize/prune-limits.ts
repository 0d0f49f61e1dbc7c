// The ranges of the pruning amounts, apart from the pruning itself: the CLI checks its flags with these
// before loading the ONNX codec.
import { ProblemError } from '../errors'

export function checkSparsity(sparsity: number): void {
  if (!Number.isFinite(sparsity) || sparsity < 0 || sparsity >= 1)
    throw new ProblemError({ code: 'setting-out-of-range', setting: 'sparsity', value: sparsity, rule: 'must be at least 0 and below 1', why: 'it is the fraction of weights set to zero' })
}

export function checkRatio(ratio: number): void {
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
    throw new ProblemError({ code: 'setting-out-of-range', setting: 'ratio', value: ratio, rule: 'must be a fraction between 0 and 1' })
}
