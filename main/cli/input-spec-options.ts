// What a model's inputs are, on the command line: the same three options on every command that feeds a
// model (bench, compare, quantize, convert, prune, optimize, apply), parsed once into an InputSpec.
import type { Command } from 'commander'
import type { ErrorInfo, InputSpec } from '../../preload/api'
import { parseRangeOptions, parseShapeOptions, parseValueOptions } from '../core/bench/input-spec'

export interface InputSpecFlags {
  shape?: string[]
  range?: string[]
  value?: string[]
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value]

export function addInputSpecOptions(command: Command): Command {
  return command
    .option('--shape <name=dims>', 'full shape of an input with dynamic dims, e.g. input=1x3x224x224 (repeatable)', collect)
    .option('--value <name=v>', 'one value for every element of an input, e.g. sr=16000 (repeatable)', collect)
    .option('--range <name=lo:hi>', 'inclusive range of an input’s random values, e.g. input_ids=0:30521 (repeatable)', collect)
}

export function inputSpecFrom(flags: InputSpecFlags): InputSpec {
  return {
    ...(flags.shape ? { shapes: parseShapeOptions(flags.shape) } : {}),
    ...(flags.range ? { ranges: parseRangeOptions(flags.range) } : {}),
    ...(flags.value ? { values: parseValueOptions(flags.value) } : {}),
  }
}

/** The spec as worker params: absent when no option was given. */
export function inputSpecParam(flags: InputSpecFlags): { inputSpec?: InputSpec } {
  const spec = inputSpecFrom(flags)
  return Object.keys(spec).length > 0 ? { inputSpec: spec } : {}
}

/** What the CLI adds to an error that names inputs: how to say what they are here. */
export function inputSpecHint(info: ErrorInfo): string | undefined {
  const problems = info.inputProblems ?? []
  if (problems.length === 0) return undefined
  const flags = problems.map((p) => (p.needs === 'shape' ? `--shape ${p.input}=DIMS` : `--value ${p.input}=V (or --range ${p.input}=LOW:HIGH)`))
  return `say what ${problems.length > 1 ? 'they are' : 'it is'}: ${flags.join(', ')}; or feed real inputs (--data, or --calib for quantize)`
}
