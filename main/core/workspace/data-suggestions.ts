// Which data a model's pickers start with when the user has chosen none: for calibration and evaluation,
// the first workspace file that fits the model's inputs (checked as a job would load it), preferring one
// named for the role; for labels, the file named as the evaluation file's pair (test_x → test_y). A file
// that does not fit is never proposed, so no model opens with another model's data.
import type { DataCheck, DataFileInfo, DataSuggestion, DataSuggestions, TensorInfo } from '../../../preload/api'

/** Names that say what a file is for; a fitting file with such a name goes first for its role. */
const roleNames = { calibration: /calib/i, evaluation: /test_x|eval/i } as const

/** The labels file that goes with an inputs file: `x` → `y` as a name part, or inputs → labels. */
export function pairedLabelsName(inputsName: string): string | undefined {
  const paired = inputsName.replace(/(^|[_.-])x(?=[_.-])/i, (_, sep: string) => `${sep}y`).replace(/inputs/i, 'labels')
  return paired === inputsName ? undefined : paired
}

function fitReason(inputs: readonly TensorInfo[], check: DataCheck): string {
  const shapes = inputs.map((input) => `${input.name} [${input.shape.join(', ')}]`).join(', ')
  return `fits input ${shapes}${check.rows === undefined ? '' : ` · ${check.rows} rows`}`
}

/**
 * Suggestions for a model from the workspace's data files, in list order (the sample's first) where no name
 * says more; `check` is the engine's fit check, cached by the caller.
 */
export async function suggestData(
  files: readonly DataFileInfo[],
  inputs: readonly TensorInfo[],
  check: (file: DataFileInfo) => Promise<DataCheck>,
): Promise<DataSuggestions> {
  // All at once: each check is a worker process, and the picker waits for the slowest.
  const checks = await Promise.all(files.map(check))
  const fitting = files.flatMap((file, i) => (checks[i]?.ok ? [{ file, reason: fitReason(inputs, checks[i]) }] : []))
  const pick = (named: RegExp): (typeof fitting)[number] | undefined => fitting.find((f) => named.test(f.file.name)) ?? fitting[0]
  const suggestion = (found: (typeof fitting)[number] | undefined): DataSuggestion | undefined => found && { path: found.file.path, reason: found.reason }
  const calibration = suggestion(pick(roleNames.calibration))
  const evaluated = pick(roleNames.evaluation)
  const labelsName = evaluated && pairedLabelsName(evaluated.file.name)
  const labels = labelsName ? files.find((f) => f.name === labelsName) : undefined
  return {
    ...(calibration ? { calibration } : {}),
    ...(evaluated ? { evaluation: suggestion(evaluated) as DataSuggestion } : {}),
    ...(labels && evaluated ? { labels: { path: labels.path, reason: `pairs with ${evaluated.file.name}` } } : {}),
  }
}
