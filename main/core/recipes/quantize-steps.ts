// Seam between recipes and the quantization engine (quantize-*.ts, convert-fp16.ts in core/optimize):
// the quantize and fp16 steps run that engine's worker tasks once it is registered.
import type { RecipeStep } from '../../../preload/api'
import { UserError } from '../errors'
import type { RunOptions } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'

type QuantizationStep = Extract<RecipeStep, { step: 'quantize' | 'fp16' }>

export async function runQuantizationStep(
  _spawn: SpawnWorker,
  step: QuantizationStep,
  _input: string,
  _output: string,
  _run: RunOptions,
): Promise<unknown> {
  throw new UserError(`the ${step.step} step needs the quantization engine, which this build does not have yet`)
}
