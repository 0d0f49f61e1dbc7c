// What every file-in, file-out recipe task of the worker takes (prune, optimize, quantize, float16), named
// alike so that one caller (run-recipe's runStep) runs any of them.
import type { InputSpec } from '../../../preload/api'

export interface RecipeTaskParams<Options> {
  /** The parent's main file. */
  readonly modelPath: string
  /** Where the result is written (only once it is checked). */
  readonly outputPath: string
  readonly options: Options
  /** What the inputs are when no data is given (the model's input spec). */
  readonly inputSpec?: InputSpec
}
