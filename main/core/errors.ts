// Errors meant for users: their message is shown as is by the CLI (exit code 1), with no stack; the UI
// words them from their structured fields (ErrorInfo). Anything else that escapes is a bug and is reported
// as "internal error".
import type { ErrorInfo, InputProblem, Problem } from '../../preload/api'
import { problemMessage } from './problem-text'

/** What an error says beyond its message, for the UI to word it in its own terms (see ErrorInfo). */
export interface ErrorFacts {
  readonly problem?: Problem
  readonly file?: string
  readonly reason?: string
  readonly details?: readonly string[]
}

export class UserError extends Error {
  override name = 'UserError'
  constructor(
    message: string,
    readonly facts: ErrorFacts = {},
  ) {
    super(message)
  }
}

/** A problem with a specific file: the message always names it; the UI shows the file's name only. */
export class FileError extends UserError {
  override name = 'FileError'
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`, { file, reason: problem })
  }
}

/** A problem that each front end words itself (preload/problems.ts); the message is the CLI's words. */
export class ProblemError extends UserError {
  constructor(problem: Problem, file?: string) {
    super(problemMessage(problem, file), { problem, ...(file === undefined ? {} : { file }) })
  }
}

/**
 * ONNX Runtime refused a model or failed on it: a sentence of ours first, the runtime's own words after
 * it in the CLI's message and as details in the UI. `file` is the model's path, when the sentence is about one.
 */
export function runtimeError(
  sentence: string,
  runtimeText: string,
  file?: string,
  Kind: new (message: string, facts: ErrorFacts) => UserError = UserError,
): UserError {
  return new Kind(`${file === undefined ? '' : `${file}: `}${sentence}: ${runtimeText}`, { ...(file === undefined ? {} : { file }), reason: sentence, details: [runtimeText] })
}

/** Inputs the engine cannot make up, or made up and the model failed on: each named, for the UI to point at. */
export class InputSpecError extends UserError {
  override name = 'InputSpecError'
  constructor(
    message: string,
    readonly inputProblems: readonly InputProblem[],
    facts: ErrorFacts = {},
  ) {
    super(message, facts)
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

function factsOf(info: ErrorInfo): ErrorFacts {
  return {
    ...(info.problem ? { problem: info.problem } : {}),
    ...(info.file !== undefined ? { file: info.file } : {}),
    ...(info.reason !== undefined ? { reason: info.reason } : {}),
    ...(info.details ? { details: info.details } : {}),
  }
}

/** An error as it arrives from another process, with its kind (cancel, input problems) and facts restored. */
export function fromErrorInfo(info: ErrorInfo): Error {
  if (info.name === 'CancelledError') return new CancelledError()
  if (info.inputProblems) return new InputSpecError(info.message, info.inputProblems, factsOf(info))
  const error = new UserError(info.message, factsOf(info))
  if (info.name !== 'UserError') error.name = info.name
  return error
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The plain data that crosses process and IPC boundaries. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof InputSpecError) return { name: error.name, message: error.message, inputProblems: error.inputProblems, ...error.facts }
  if (error instanceof UserError) return { name: error.name, message: error.message, ...error.facts }
  if (error instanceof CancelledError) return { name: error.name, message: error.message }
  if (error instanceof Error && ['UserError', 'FileError', 'UnchangedError', 'CancelledError'].includes(error.name))
    return { name: error.name, message: error.message }
  return { name: 'InternalError', message: `internal error: ${errorMessage(error)}` }
}
