// The engine's messages for coded problems, in the CLI's words (flags, full paths): what `slipway` prints
// and what logs keep. The UI words the same problems itself (renderer/messages/problem-text.ts).
import type { Dim, Problem, SettingName } from '../../preload/api'
import { formatBytes } from '../../preload/format'

const shape = (dims: readonly Dim[]): string => `[${dims.join(',')}]`

/** The CLI's flag for each setting that a coded problem may name. */
export const settingFlags: Readonly<Record<SettingName, string>> = {
  sparsity: '--sparsity',
  ratio: '--ratio',
  epochs: '--epochs',
  temperature: '--temperature',
  alpha: '--alpha',
  width: '--width',
}

/** `file` is the data file or folder the problem is about, where it has one. */
export function problemMessage(problem: Problem, file?: string): string {
  switch (problem.code) {
    case 'batch-contradicts':
      return `batch size ${problem.batch} contradicts ${problem.model}: its input '${problem.input}' has a fixed batch of ${problem.fixed}`
    case 'shape-contradicts':
      return problem.dim === undefined
        ? `the shape ${problem.given.join('x') || 'scalar'} given for input '${problem.input}' contradicts ${problem.model}: it has ${problem.expected.length} dims ${shape(problem.expected)}`
        : `the shape ${problem.given.join('x')} given for input '${problem.input}' contradicts ${problem.model}: its dim ${problem.dim} is fixed at ${String(problem.expected[problem.dim])}`
    case 'data-lacks-input':
      return `${file ?? 'the data'} has no values for input '${problem.input}' that ${problem.model} needs`
    case 'data-shape-mismatch': {
      const extra = problem.sample.length + 1 !== problem.expected.length ? ` (a sample dim plus ${problem.expected.length - 1} more)` : ''
      return `${file ?? 'the data'}: samples of input '${problem.input}' have shape ${shape(problem.sample)}, but ${problem.model} expects ${shape(problem.expected)}${extra}`
    }
    case 'calibration-needed':
      return 'static quantization needs calibration data: pass --calib DATA (.npy, .npz, .pb or a test_data_set folder)'
    case 'image-size-dynamic':
      return `${file ?? 'the images'}: input '${problem.input}' has a dynamic image size ${shape(problem.dims)}: give one with --resize HxW`
    case 'setting-out-of-range':
      return `${settingFlags[problem.setting]} ${problem.rule} (got ${problem.value})${problem.why ? `: ${problem.why}` : ''}`
    case 'target-incomplete':
      if (problem.missing === 'dir') return 'a folder target needs a folder (--dir)'
      return problem.missing === 'url' ? `a ${problem.kind} target needs a URL (--url)` : 'a Slipway target needs its admin token (--token-file)'
    case 'no-admin-token':
      return `no admin token for ${problem.url}: give --token-file, or add the target with its token`
    case 'ratio-empties-layer':
      return `--ratio ${problem.ratio} would remove all ${problem.channels} output channels of ${problem.op} '${problem.node}': use a smaller ratio or exclude the layer`
    case 'triton-request-too-large':
      return `${file ?? 'the model'} is ${formatBytes(problem.size)}; Triton's load request carries it base64-encoded (${formatBytes(problem.requestBytes)}), over Triton's 64 MiB request limit (--http-max-input-size). Export a model repository instead (slipway export ... --format triton) and point Triton at it, or start Triton with a larger --http-max-input-size.`
    case 'triton-not-explicit':
      return `${problem.message}. Is Triton running with --model-control-mode=explicit?`
  }
}
