// The ranges of the pruning amounts, apart from the pruning itself: the CLI checks its flags with these
// before loading the ONNX codec.
import { UserError } from '../errors'

export function checkSparsity(sparsity: number): void {
  if (!Number.isFinite(sparsity) || sparsity < 0 || sparsity >= 1)
    throw new UserError(`--sparsity must be at least 0 and below 1 (got ${sparsity}): it is the fraction of weights set to zero`)
}

export function checkRatio(ratio: number): void {
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
    throw new UserError(`--ratio must be a fraction between 0 and 1 (got ${ratio})`)
}
