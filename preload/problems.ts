// Problems the engine names by code instead of by sentence, because the fix is said differently on each
// front end: the CLI names its flags (main/core/problem-text.ts words them so), the UI names its fields and
// buttons (renderer/messages/problem-text.ts). Plain data: it crosses processes inside ErrorInfo.
import type { Dim } from './api-models'

/** A recipe or benchmark setting that both front ends let the user set, by its key in the options. */
export type SettingName = 'sparsity' | 'ratio' | 'epochs' | 'temperature' | 'alpha' | 'width'

export type Problem =
  /** The batch asked for does not fit a model whose leading dim is fixed. */
  | { readonly code: 'batch-contradicts'; readonly model: string; readonly input: string; readonly batch: number; readonly fixed: number }
  /** A shape given for an input does not fit the model: wrong rank, or a fixed dim set to another size. */
  | {
      readonly code: 'shape-contradicts'
      readonly model: string
      readonly input: string
      readonly given: readonly number[]
      readonly expected: readonly Dim[]
      /** The fixed dim that differs; absent when the rank differs. */
      readonly dim?: number
    }
  /** A data file lacks an input the model needs (ErrorInfo.file is the data file, when there is one). */
  | { readonly code: 'data-lacks-input'; readonly model: string; readonly input: string }
  /** A data file's samples have another shape than the model's input (ErrorInfo.file is the data file, when there is one). */
  | { readonly code: 'data-shape-mismatch'; readonly model: string; readonly input: string; readonly sample: readonly number[]; readonly expected: readonly Dim[] }
  /** Static quantization was asked for without calibration data. */
  | { readonly code: 'calibration-needed' }
  /** An image folder feeds an input whose height or width is dynamic (ErrorInfo.file is the folder). */
  | { readonly code: 'image-size-dynamic'; readonly input: string; readonly dims: readonly Dim[] }
  /** A setting outside its range: `rule` says the range in words both front ends share ("must be in (0, 1]"). */
  | { readonly code: 'setting-out-of-range'; readonly setting: SettingName; readonly value: number; readonly rule: string; readonly why?: string }
  /** A deployment target lacks what its kind needs. */
  | { readonly code: 'target-incomplete'; readonly kind: 'folder' | 'slipway' | 'triton'; readonly missing: 'dir' | 'url' | 'token' }
  /** A Slipway target was used for a change without its admin token. */
  | { readonly code: 'no-admin-token'; readonly url: string }
  /** Structured pruning at this ratio would empty a layer. */
  | { readonly code: 'ratio-empties-layer'; readonly ratio: number; readonly channels: number; readonly op: string; readonly node: string }
  /** A model too large for Triton's load request (ErrorInfo.file is the model): sizes in bytes. */
  | { readonly code: 'triton-request-too-large'; readonly size: number; readonly requestBytes: number }
  /** A Triton server refused a repository call, most likely because it does not run in explicit model-control mode. */
  | { readonly code: 'triton-not-explicit'; readonly message: string }

export type ProblemCode = Problem['code']

/** The file a message names, as the UI shows it: its name without the folders (workspace paths mean nothing there). */
export function fileLabel(path: string): string {
  return path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || path
}
