// `slipway profile MODEL`: time per node and per op type with ONNX Runtime's profiler, in a worker
// process; with --parent, each node next to the parent model's.
import type { Command } from 'commander'
import type { ProfileOptions } from '../../../preload/api'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { parseNumber } from '../data-options'
import { addInputSpecOptions, inputSpecFrom, type InputSpecFlags } from '../input-spec-options'

interface ProfileCliOptions extends InputSpecFlags {
  batch?: string
  threads?: string
  runs?: string
  warmup?: string
  parent?: string
  json?: boolean
}

const whole = (min: number) => (n: number): boolean => Number.isInteger(n) && n >= min

export function profileOptionsFrom(options: ProfileCliOptions): ProfileOptions {
  const batch = parseNumber(options.batch, '--batch', whole(1))
  const threads = parseNumber(options.threads, '--threads', whole(1))
  const runs = parseNumber(options.runs, '--runs', whole(2))
  const warmup = parseNumber(options.warmup, '--warmup', whole(0))
  return {
    ...(batch === undefined ? {} : { batch }),
    ...(threads === undefined ? {} : { threads }),
    ...(runs === undefined ? {} : { runs }),
    ...(warmup === undefined ? {} : { warmup }),
    ...inputSpecFrom(options),
  }
}

export function registerProfileCommand(program: Command): void {
  const command = program
    .command('profile')
    .description('time per node and per op type with ONNX Runtime’s profiler (mean and spread over runs, share of the run), in a worker process')
    .argument('<model>', '.onnx file')
    .option('--batch <n>', 'fills the leading dynamic dim (default: the model’s fixed batch, else 1)')
    .option('--threads <n>', 'intra-op threads (default 1)')
    .option('--runs <n>', 'profiled runs (default 20)')
    .option('--warmup <n>', 'untimed runs first (default 5)')
    .option('--parent <model>', 'also profile this model (the one the variant was made from) and put each node next to its time there')
    .option('--json', 'print the profile as JSON')
  addInputSpecOptions(command).action(async (model: string, options: ProfileCliOptions) => {
    const profileOptions = profileOptionsFrom(options)
    const { runProfile } = await import('../../core/profile/run-profile')
    const { formatProfile } = await import('../../core/profile/profile-report')
    const result = await runProfile(
      spawnNodeWorker,
      { path: model, label: model },
      profileOptions,
      options.parent === undefined ? undefined : { path: options.parent, label: options.parent },
      { onProgress: progressPrinter('profile') },
    )
    if (options.json) printJson(result)
    else process.stdout.write(formatProfile(result))
  })
}
