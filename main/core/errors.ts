// Errors meant for users: their message is shown as is (CLI exit code 1, UI error banner), with no stack.
// Anything else that escapes is a bug and is reported as "internal error".

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

/** The job was cancelled by the user; not a failure. */
export class CancelledError extends Error {
  override name = 'CancelledError'
  constructor() {
    super('cancelled')
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The plain data that crosses process and IPC boundaries. */
export function toErrorInfo(error: unknown): { name: string; message: string } {
  if (error instanceof UserError || error instanceof CancelledError) return { name: error.name, message: error.message }
  if (error instanceof Error && ['UserError', 'FileError', 'CancelledError'].includes(error.name))
    return { name: error.name, message: error.message }
  return { name: 'InternalError', message: `internal error: ${errorMessage(error)}` }
}
