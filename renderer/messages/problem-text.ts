// Errors in the UI's words: the fields and buttons the user sees, a file by its name (never a workspace
// path), one line first and the rest (node lists, ONNX Runtime's own text) as details behind a
// disclosure. Built from the error's structured fields; the CLI words the same errors with its flags
// (main/core/problem-text.ts).
import type { Dim, ErrorInfo, Problem, SettingName } from '../../preload/api'
import { formatBytes } from '../../preload/format'
import { fileLabel } from '../../preload/problems'

export interface UiMessage {
  /** One sentence, no line breaks. */
  readonly line: string
  readonly details: readonly string[]
}

/** The form fields that hold each setting, by the labels the recipe cards give them. */
const settingLabels: Readonly<Record<SettingName, string>> = {
  sparsity: 'Sparsity',
  ratio: 'Share of channels removed',
  epochs: 'Epochs',
  temperature: 'Temperature',
  alpha: 'Alpha',
  width: 'Width',
}

const targetFields = { dir: 'Folder', url: 'URL', token: 'Admin token' } as const

const shape = (dims: readonly Dim[]): string => `[${dims.join(', ')}]`

function problemText(problem: Problem, file: string | undefined): UiMessage {
  const data = file === undefined ? 'The data' : fileLabel(file)
  const line = (text: string, details: readonly string[] = []): UiMessage => ({ line: text, details })
  switch (problem.code) {
    case 'batch-contradicts':
      return line(`Batch size ${problem.batch} does not fit this model: its input '${problem.input}' has a fixed batch of ${problem.fixed}. Use ${problem.fixed} under Batch sizes.`)
    case 'shape-contradicts': {
      const given = problem.given.join(' × ') || 'a scalar'
      return problem.dim === undefined
        ? line(`The shape ${given} set for input '${problem.input}' does not fit this model, whose input has ${problem.expected.length} dims ${shape(problem.expected)}. Correct it under Model inputs.`)
        : line(`The shape ${given} set for input '${problem.input}' does not fit this model: its dim ${problem.dim} is fixed at ${String(problem.expected[problem.dim])}. Correct it under Model inputs.`)
    }
    case 'data-lacks-input':
      return line(`${data} has no values for input '${problem.input}' of this model: choose data made for it.`)
    case 'data-shape-mismatch':
      return line(`${data}: samples of input '${problem.input}' have shape ${shape(problem.sample)}, but this model expects ${shape(problem.expected)}: choose data made for it.`)
    case 'calibration-needed':
      return line('Static quantization needs calibration data: choose a file under Calibration data.')
    case 'image-size-dynamic':
      return line(
        `${file === undefined ? 'The images' : fileLabel(file)}: input '${problem.input}' has a dynamic image size ${shape(problem.dims)}, so there is no size to bring the images to. Use a .npy file of samples at the size you want instead.`,
      )
    case 'setting-out-of-range':
      return line(`${settingLabels[problem.setting]} ${problem.rule} (it is ${problem.value})${problem.why ? `: ${problem.why}` : ''}.`)
    case 'target-incomplete':
      return line(
        problem.missing === 'token'
          ? `A Slipway target needs its admin token: fill in ${targetFields.token}.`
          : `A ${problem.kind === 'folder' ? 'folder' : problem.kind === 'triton' ? 'Triton' : 'Slipway'} target needs ${problem.missing === 'dir' ? 'a folder' : 'a URL'}: fill in ${targetFields[problem.missing]}.`,
      )
    case 'no-admin-token':
      return line(`No admin token for ${problem.url}: add the target again with its ${targetFields.token}.`)
    case 'ratio-empties-layer':
      return line(
        `${settingLabels.ratio} ${problem.ratio} would remove all ${problem.channels} output channels of ${problem.op} '${problem.node}': choose a smaller share, or exclude the layer.`,
      )
    case 'triton-request-too-large':
      return line(
        `${file === undefined ? 'The model' : fileLabel(file)} is ${formatBytes(problem.size)}, over the 64 MiB that Triton takes in one load request (${formatBytes(problem.requestBytes)} once encoded): publish to a folder target and point Triton at it, or raise Triton's request limit.`,
      )
    case 'triton-not-explicit':
      return line('Triton refused the model repository call: is it running in explicit model-control mode?', [problem.message])
  }
}

/** What the UI shows for an error: its one line, and the details behind a disclosure. */
export function uiMessage(info: ErrorInfo): UiMessage {
  const details = info.details ?? []
  if (info.problem) {
    const worded = problemText(info.problem, info.file)
    return { line: worded.line, details: [...worded.details, ...details] }
  }
  const text = info.reason ?? info.message
  // A message of several lines keeps its first as the line; the rest is detail, not layout.
  const [first = '', ...rest] = text.split('\n').filter((part) => part.trim() !== '')
  // Engine messages keep their case: they may begin with a file's or an input's name.
  const line = info.file !== undefined && info.reason !== undefined ? `${fileLabel(info.file)}: ${first}` : first
  return { line, details: [...rest, ...details] }
}
