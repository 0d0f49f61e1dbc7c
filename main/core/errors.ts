// Errors meant for users: their message is shown as is (CLI exit code 1, UI error banner), with no stack.
// Anything else that escapes is a bug and is reported as "internal error".
import type { ErrorInfo, InputProblem } from '../../preload/api'

export class UserError extends Error {
  override name = 'UserError'
}

/** A problem with a specific file: the message always names it. */
export class FileError extends UserError {
  override name = 'FileError'
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`)
  }
}

/** Inputs the engine cannot make up, or made up and the model failed on: each named, for the UI to point at. */
export class InputSpecError extends UserError {
  override name = 'InputSpecError'
  constructor(
    message: string,
    readonly inputProblems: readonly InputProblem[],
  ) {
    super(message)
  }
}

/**
 * A recipe whose output would compute exactly what its parent does: no variant is made, and the job ends
 * with this message as a warning, not a failure. Worded for the UI (no paths); the CLI adds that no file was written.
 */
export class UnchangedError extends UserError {
  override name = 'UnchangedError'
}

/** The job was cancelled by the user; not a failure. */
export class CancelledError extends Error {
  override name = 'CancelledError'
  constructor() {
    super('cancelled')
  }
}

/** An error as it arrives from another process, with its kind (cancel, input problems) restored. */
export function fromErrorInfo(info: ErrorInfo): Error {
  if (info.name === 'CancelledError') return new CancelledError()
  if (info.inputProblems) return new InputSpecError(info.message, info.inputProblems)
  const error = new UserError(info.message)
  if (info.name !== 'UserError') error.name = info.name
  return error
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The plain data that crosses process and IPC boundaries. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof InputSpecError) return { name: error.name, message: error.message, inputProblems: error.inputProblems }
  if (error instanceof UserError || error instanceof CancelledError) return { name: error.name, message: error.message }
  if (error instanceof Error && ['UserError', 'FileError', 'UnchangedError', 'CancelledError'].includes(error.name))
    return { name: error.name, message: error.message }
  return { name: 'InternalError', message: `internal error: ${errorMessage(error)}` }
}
