// `slipway tune MODEL --data X [--labels Y] [--max-accuracy-drop P | --min-fidelity F] [--objective O]
// [--batch N] [--time-budget S] [--json]`: the search for the best variant, run as a job of the workspace
// (every candidate is kept as a variant with its lineage). Progress and the search log go to stderr; the
// candidates, the Pareto front and the recommended variant to stdout. Interrupted (Ctrl+C), the same
// command resumes where it stopped.
import { resolve } from 'node:path'
import { stat } from 'node:fs/promises'
import type { Command } from 'commander'
import type { JobInfo, ModelEntry, TuneOptions, TuneReport } from '../../../preload/api'
import { formatDropPoints, formatLatencyRatio } from '../../../preload/pick-rule'
import { fromErrorInfo, UserError } from '../../core/errors'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { defaultWorkspaceDir } from '../../core/workspace/default-workspace-dir'
import { printJson, progressPrinter } from '../cli-output'
import { parseNumber } from '../data-options'
import { findWorkspaceModel } from '../workspace-model'

interface TuneFlags {
  data: string
  labels?: string
  calib?: string
  maxAccuracyDrop?: string
  minFidelity?: string
  objective?: string
  batch?: string
  timeBudget?: string
  limit?: string
  workspace?: string
  json?: boolean
}

/** "99%" is a top-1 agreement, "30dB" an output SQNR. */
export function parseFidelity(value: string): NonNullable<TuneOptions['minFidelity']> {
  const match = /^\s*([\d.]+)\s*(%|db)\s*$/i.exec(value)
  const n = Number(match?.[1])
  if (!match || !Number.isFinite(n)) throw new UserError(`--min-fidelity ${value}: write a top-1 agreement like 99% or an output SQNR like 30dB`)
  if (match[2] === '%') {
    if (n > 100) throw new UserError(`--min-fidelity ${value}: an agreement is at most 100%`)
    return { top1Agreement: n / 100 }
  }
  return { sqnrDb: n }
}

export function tuneOptionsFrom(flags: TuneFlags): TuneOptions {
  if (flags.maxAccuracyDrop !== undefined && flags.minFidelity !== undefined) throw new UserError('give --max-accuracy-drop or --min-fidelity, not both')
  const objective = flags.objective ?? 'latency'
  if (objective !== 'latency' && objective !== 'size' && objective !== 'throughput') throw new UserError(`--objective ${objective}: use latency, size or throughput`)
  const maxAccuracyDrop = parseNumber(flags.maxAccuracyDrop, '--max-accuracy-drop', (n) => n >= 0 && n <= 100)
  const batch = parseNumber(flags.batch, '--batch', (n) => Number.isInteger(n) && n > 0)
  const timeBudgetS = parseNumber(flags.timeBudget, '--time-budget', (n) => n > 0)
  const limit = parseNumber(flags.limit, '--limit', (n) => Number.isInteger(n) && n > 0)
  return {
    dataPath: resolve(flags.data),
    ...(flags.labels ? { labelsPath: resolve(flags.labels) } : {}),
    ...(flags.calib ? { calibPath: resolve(flags.calib) } : {}),
    ...(limit === undefined ? {} : { data: { limit } }),
    ...(maxAccuracyDrop === undefined ? {} : { maxAccuracyDrop }),
    ...(flags.minFidelity === undefined ? {} : { minFidelity: parseFidelity(flags.minFidelity) }),
    objective,
    ...(batch === undefined ? {} : { batch }),
    ...(timeBudgetS === undefined ? {} : { timeBudgetS }),
  }
}

/** ★ the recommended model, ◆ another on the Pareto front. */
function markOf(report: TuneReport, id: string | undefined): string {
  return id === undefined ? '  ' : id === report.recommended ? '★ ' : report.front.includes(id) ? '◆ ' : '  '
}

const ms = (value: number | undefined, halfWidth?: number): string => (value === undefined ? '—' : `${value.toFixed(3)} ± ${(halfWidth ?? 0).toFixed(3)}`)

export function formatTuneReport(report: TuneReport): string {
  const rows = report.candidates.map((c) => {
    const quality = c.accuracyDropPoints !== undefined ? formatDropPoints(c) : c.top1Agreement !== undefined ? `${(c.top1Agreement * 100).toFixed(1)}% agree` : '—'
    const ratio = formatLatencyRatio(c, report.baseline)
    const mark = markOf(report, c.modelId)
    return [`${mark}${c.label}`, c.status + (c.meets === false ? ' (misses)' : ''), quality, ms(c.p50Ms, c.p50HalfWidthMs), ratio, c.sizeBytes === undefined ? '—' : `${(c.sizeBytes / 1024).toFixed(1)} KiB`]
  })
  const header = ['candidate', 'status', 'quality drop', 'p50 ms (95% CI)', '× model (apart)', 'size']
  const all = [header, [markOf(report, report.modelId) + report.model + ' (model)', '', '0', ms(report.baseline.p50Ms, report.baseline.p50HalfWidthMs), '1.00×', `${(report.baseline.sizeBytes / 1024).toFixed(1)} KiB`], ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  const lines = all.map((r) => r.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd())
  const recommended = report.candidates.find((c) => c.modelId === report.recommended)?.label ?? (report.recommended === report.modelId ? `${report.model} itself` : 'none')
  return [
    `tuned ${report.model} under ${report.constraint}, objective ${report.options.objective}`,
    '',
    ...lines,
    '',
    `★ recommended: ${recommended} — ${report.reason}`,
    ...(report.settings ? [`session settings: ${report.settings.note}`] : []),
    '◆ on the Pareto front of latency against quality drop',
    '',
  ].join('\n')
}

/** The workspace model to tune: a workspace id or name, or a file (imported once, found again on a rerun). */
async function modelToTune(service: Awaited<ReturnType<typeof import('../../core/app-service')['createAppService']>>, ref: string): Promise<ModelEntry> {
  const isFile = await stat(ref).then((s) => s.isFile(), () => false)
  const models = await service.workspace.list()
  if (!isFile) return findWorkspaceModel(models, ref, service.workspace.dir)
  const path = resolve(ref)
  const size = (await stat(path)).size
  const known = models.find((m) => m.source === path && !m.lineage && m.sizeBytes === size)
  if (known) return known
  const entry = await service.api.importModel({ kind: 'paths', paths: [path] })
  process.stderr.write(`imported ${path} into ${service.workspace.dir} as ${entry.id}\n`)
  return entry
}

export function registerTuneCommand(program: Command): void {
  program
    .command('tune')
    .description('search recipes and session settings for the best variant under a quality constraint; every candidate is kept as a variant')
    .argument('<model>', '.onnx file (imported into the workspace), or a workspace model id or name')
    .requiredOption('--data <file>', 'evaluation inputs: .npy, .npz, test_data_set folder, .csv or image folder')
    .option('--labels <file>', 'class labels for the accuracy constraint (.npy or one per line)')
    .option('--calib <file>', 'calibration inputs for static int8 (default: the evaluation inputs)')
    .option('--max-accuracy-drop <points>', 'largest accepted accuracy drop in percentage points (default 1 with labels)')
    .option('--min-fidelity <value>', 'least accepted agreement with the model: top-1 agreement (99%) or output SQNR (30dB); default 99% without labels')
    .option('--objective <what>', 'latency, size or throughput', 'latency')
    .option('--batch <n>', 'samples per run when measuring latency (default 1)')
    .option('--time-budget <s>', 'stop starting new candidates after this many seconds (default 600)')
    .option('--limit <n>', 'use at most this many samples of the data')
    .option('--workspace <dir>', 'workspace folder (default: $SLIPWAY_WORKSPACE or the per-user data folder)')
    .option('--json', 'print the search (candidates, front, recommended variant, settings) as JSON')
    .action(async (model: string, flags: TuneFlags) => {
      const options = tuneOptionsFrom(flags)
      const { createAppService } = await import('../../core/app-service')
      const service = await createAppService({ workspaceDir: flags.workspace ?? defaultWorkspaceDir(), host: 'cli', spawnWorker: spawnNodeWorker })
      const entry = await modelToTune(service, model)
      const progress = progressPrinter('tune')
      let printed = 0
      const id = await service.api.startJob({ kind: 'tune', modelId: entry.id, options })
      const stop = service.on('job-updated', ({ job }: { job: JobInfo }) => {
        if (job.id !== id) return
        const partial = job.progress.partial as TuneReport | undefined
        for (const line of partial?.log.slice(printed) ?? []) process.stderr.write(`tune: ${line.kind === 'dropped' ? 'dropped ' : ''}${line.text}\n`)
        printed = Math.max(printed, partial?.log.length ?? 0)
        if (job.state === 'running') progress(job.progress.fraction, job.progress.stage, job.progress.detail)
      })
      // Ctrl+C stops the search where it is; its state is stored, and the same command resumes it.
      const interrupt = (): void => {
        process.stderr.write('\ntune: stopping; run the same command again to resume\n')
        service.jobs.cancel(id)
      }
      process.once('SIGINT', interrupt)
      const info = await service.jobs.waitFor(id)
      stop()
      process.off('SIGINT', interrupt)
      if (info.state === 'cancelled') throw new UserError('the search was stopped; run the same command again to resume it')
      if (info.state !== 'succeeded') throw info.error ? fromErrorInfo(info.error) : new UserError('the search failed')
      const report = info.result as TuneReport
      if (flags.json) printJson(report)
      else process.stdout.write(formatTuneReport(report))
    })
}
