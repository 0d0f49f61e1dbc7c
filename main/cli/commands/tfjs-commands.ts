// The TF.js side of the CLI: `quantize` and `prune` hand TF.js models (model.json or its folder) to these
// actions; `distill` is TF.js only; `convert MODEL.json --to onnx` is registered here unless a shared
// `convert` command exists (which then dispatches TF.js models to tfjsConvertAction).
import type { TfjsDistillSummary, TfjsQuantizeSummary, TfjsToOnnxSummary } from '../../../preload/api'
import { formatBytes } from '../../../preload/format'
import type { Command } from 'commander'
import { UserError } from '../../core/errors'
import { checkSparsity } from '../../core/optimize/prune-limits'
import { runInWorker } from '../../core/worker/run-in-worker'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import type { TfjsDistillParams } from '../../core/tfjs/distill-tfjs'
import { printJson, progressPrinter } from '../cli-output'
import { parseNumberFlag } from '../flags'
import { formatOutputCheck, formatPruneResult } from './recipe-output'

const percent = (x: number): string => `${(x * 100).toFixed(2)}%`

/** Whether a model path names a TF.js model (a .json, or a folder holding model.json). */
export async function isTfjsModel(path: string): Promise<boolean> {
  return (await resolveModelPath(path).catch(() => undefined))?.kind === 'tfjs'
}

/** The model.json a TF.js model path names (the path itself, or the one inside a folder). */
async function modelJson(path: string): Promise<string> {
  return (await resolveModelPath(path)).file
}

/** Loaded on use: inspect-model brings the ONNX codec, which `slipway --help` does not need. */
async function resolveModelPath(path: string): Promise<{ file: string; kind: 'onnx' | 'tfjs' }> {
  return (await import('../../core/inspect/inspect-model')).resolveModelPath(path)
}

export async function tfjsQuantizeAction(model: string, flags: { out: string; mode: string; json?: boolean }): Promise<void> {
  const mode = flags.mode
  if (mode !== 'uint8' && mode !== 'uint16' && mode !== 'float16')
    throw new UserError(`${model} is a TF.js model: --mode must be uint8, uint16 or float16 (got '${mode}'); --out is a folder`)
  const summary = await runInWorker(spawnNodeWorker, 'tfjs-quantize', { modelPath: await modelJson(model), outDir: flags.out, mode }, {
    onProgress: progressPrinter(`quantize ${mode}`),
  })
  if (flags.json) return printJson(summary)
  process.stdout.write(formatTfjsQuantize(summary))
}

export function formatTfjsQuantize(s: TfjsQuantizeSummary): string {
  return [
    `wrote ${s.modelPath}: ${formatBytes(s.sizeBytes.after)} (${(s.sizeBytes.after / s.sizeBytes.before).toFixed(3)}× of ${formatBytes(s.sizeBytes.before)}), ${s.weightsQuantized} weights as ${s.mode}, ${s.weightsKept} left as they were`,
    formatOutputCheck(s.validation),
    `runtime: ${s.backend}`,
    `note: ${s.note}`,
    '',
  ].join('\n')
}

interface TfjsPruneFlags {
  out: string
  sparsity?: string
  scope?: string
  structured?: boolean
  excludeNodes?: string
  includeFirstLast?: boolean
  json?: boolean
}

export async function tfjsPruneAction(model: string, flags: TfjsPruneFlags): Promise<void> {
  if (flags.structured) throw new UserError(`${model} is a TF.js model: only magnitude pruning (--sparsity) applies to it`)
  if (flags.sparsity === undefined) throw new UserError('give --sparsity S (the fraction of kernel weights set to zero)')
  const sparsity = parseNumberFlag('--sparsity', flags.sparsity)
  checkSparsity(sparsity)
  if (flags.scope !== undefined && flags.scope !== 'global' && flags.scope !== 'layer') throw new UserError(`--scope must be global or layer (got '${flags.scope}')`)
  const excludeLayers = flags.excludeNodes?.split(',').map((s) => s.trim()).filter(Boolean)
  const result = await runInWorker(
    spawnNodeWorker,
    'tfjs-prune',
    {
      modelPath: await modelJson(model),
      outDir: flags.out,
      sparsity,
      ...(flags.scope ? { scope: flags.scope as 'global' | 'layer' } : {}),
      ...(flags.includeFirstLast ? { includeFirstLast: true } : {}),
      ...(excludeLayers?.length ? { excludeLayers } : {}),
    },
    { onProgress: progressPrinter('prune') },
  )
  if (flags.json) return printJson(result)
  process.stdout.write(formatPruneResult(model, result.modelPath, result))
}

export async function tfjsConvertAction(model: string, flags: { to: string; out: string; json?: boolean }): Promise<void> {
  if (flags.to !== 'onnx') throw new UserError(`${model} is a TF.js model: --to must be onnx (got '${flags.to}')`)
  const summary = await runInWorker(spawnNodeWorker, 'tfjs-convert-onnx', { modelPath: await modelJson(model), outPath: flags.out }, {
    onProgress: progressPrinter('convert'),
  })
  if (flags.json) return printJson(summary)
  process.stdout.write(formatTfjsConvert(summary))
}

export function formatTfjsConvert(s: TfjsToOnnxSummary): string {
  return [
    `wrote ${s.outPath}: ${formatBytes(s.sizeBytes)}, opset ${s.opset}, ${s.nodeCount} nodes from ${s.layerCount} layers (${s.transposes} layout transposes)`,
    `inputs: ${s.inputs.join(', ')}; outputs: ${s.outputs.join(', ')}`,
    `checked: ${s.onnxRuntime} vs ${s.tfjsBackend} on ${s.comparedSamples} samples: max |Δ| ${s.maxAbsDiff.toPrecision(3)}`,
    `note: ${s.note}`,
    '',
  ].join('\n')
}

export function formatTfjsDistill(s: TfjsDistillSummary): string {
  const lines = [
    `wrote ${s.modelPath}: ${formatBytes(s.sizeBytes.student)} (teacher ${formatBytes(s.sizeBytes.teacher)}), ${s.parameters.student} parameters (teacher ${s.parameters.teacher})`,
    `student at width ${s.width}: ${s.changes.join('; ')}`,
    `trained on ${s.samples.train} samples in ${(s.trainingMs / 1000).toFixed(1)} s with ${s.backend}`,
    ...s.epochs.map((e) => `  epoch ${e.epoch}: loss ${e.loss.toFixed(4)}${e.heldOutAccuracy === undefined ? '' : `, held-out top-1 ${percent(e.heldOutAccuracy)}`}`),
  ]
  if (s.accuracy)
    lines.push(`held-out top-1 on ${s.samples.heldOut} samples: teacher ${percent(s.accuracy.teacher)}, student ${percent(s.accuracy.student)} (reloaded from disk)`)
  else lines.push('no labels given: accuracy not measured (pass --labels to measure it on a held-out part)')
  return `${lines.join('\n')}\n`
}

interface DistillFlags {
  out: string
  data: string
  labels?: string
  width?: string
  epochs?: string
  temperature?: string
  alpha?: string
  batchSize?: string
  learningRate?: string
  json?: boolean
}

function distillParams(teacher: string, flags: DistillFlags): TfjsDistillParams {
  const num = (flag: string, value: string | undefined): number | undefined => (value === undefined ? undefined : parseNumberFlag(flag, value))
  const entries = {
    width: num('--width', flags.width),
    epochs: num('--epochs', flags.epochs),
    temperature: num('--temperature', flags.temperature),
    alpha: num('--alpha', flags.alpha),
    batchSize: num('--batch-size', flags.batchSize),
    learningRate: num('--learning-rate', flags.learningRate),
  }
  const given = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined))
  return { teacherPath: teacher, outDir: flags.out, dataPath: flags.data, ...(flags.labels ? { labelsPath: flags.labels } : {}), ...given }
}

/** `slipway distill`: a narrower TF.js student trained on a teacher's outputs. */
export function registerDistillCommand(program: Command): void {
  program
    .command('distill')
    .description('train a narrower student of a TF.js layers-model on its soft labels (plus hard labels), on the cpu backend or tfjs-node')
    .argument('<teacher>', 'TF.js layers-model (model.json or its folder)')
    .requiredOption('--out <dir>', 'folder to write the student model.json and shard into')
    .requiredOption('--data <npy>', 'inputs, .npy [N, ...the model input shape]')
    .option('--labels <npy>', 'integer class labels, .npy [N]: adds the hard-label loss and a held-out accuracy')
    .option('--width <w>', 'scale of filters and hidden units, in (0, 1] (default 0.5)')
    .option('--epochs <n>', 'passes over the data (default 10)')
    .option('--temperature <t>', 'softening of the teacher outputs (default 4)')
    .option('--alpha <a>', 'weight of the soft-label loss, the rest goes to the labels (default 0.7)')
    .option('--batch-size <n>', 'samples per step (default 32)')
    .option('--learning-rate <r>', 'Adam learning rate (default 0.01)')
    .option('--json', 'print the summary as JSON')
    .action(async (teacher: string, flags: DistillFlags) => {
      const summary = await runInWorker(spawnNodeWorker, 'tfjs-distill', distillParams(await modelJson(teacher), flags), { onProgress: progressPrinter('distill') })
      if (flags.json) printJson(summary)
      else process.stdout.write(formatTfjsDistill(summary))
    })
}

