// `slipway serve`: the command-line face of startServer. Tokens and TLS material are read from files
// (never from arguments, which other users can see in the process list).
import type { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import { UserError } from '../main/core/errors'
import type { ServerOptions } from './server'
import { DEFAULTS } from './server-defaults'

interface ServeFlags {
  repo: string
  stateDir?: string
  host: string
  port: string
  adminTokenFile?: string
  inferTokenFile?: string
  tlsCert?: string
  tlsKey?: string
  allowedHost: string[]
  maxBodyBytes: string
  maxJsonBodyBytes: string
  maxUploadBytes: string
  uploadIdleTimeout: string
  maxQueueSize: string
  queueTimeoutMs: string
  intraOpThreads: string
  log?: boolean
}

/** A file named on the command line; a failure to read it is the user's to fix, said in one line. */
async function readGiven(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable')
    throw new UserError(`cannot read ${what} file ${file}: ${why}`)
  }
}

async function readToken(file: string | undefined, what: string): Promise<string | undefined> {
  if (!file) return undefined
  const token = (await readGiven(file, what)).toString('utf8').trim()
  if (token.length < 16) throw new UserError(`${what} in ${file} must be at least 16 characters`)
  return token
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new UserError(`${flag} must be a non-negative integer`)
  return n
}

export async function serveOptionsFromFlags(flags: ServeFlags): Promise<ServerOptions> {
  if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey)) throw new UserError('--tls-cert and --tls-key go together')
  const adminToken = await readToken(flags.adminTokenFile, 'the admin token')
  const inferToken = await readToken(flags.inferTokenFile, 'the inference token')
  return {
    repo: flags.repo,
    ...(flags.stateDir ? { stateDir: flags.stateDir } : {}),
    host: flags.host,
    port: positiveInt(flags.port, '--port'),
    ...(adminToken ? { adminToken } : {}),
    ...(inferToken ? { inferToken } : {}),
    ...(flags.tlsCert && flags.tlsKey ? { tls: { cert: await readGiven(flags.tlsCert, 'the TLS certificate'), key: await readGiven(flags.tlsKey, 'the TLS key') } } : {}),
    allowedHosts: flags.allowedHost,
    maxBodyBytes: positiveInt(flags.maxBodyBytes, '--max-body-bytes'),
    maxJsonBodyBytes: positiveInt(flags.maxJsonBodyBytes, '--max-json-body-bytes'),
    maxUploadBytes: positiveInt(flags.maxUploadBytes, '--max-upload-bytes'),
    uploadIdleTimeoutMs: positiveInt(flags.uploadIdleTimeout, '--upload-idle-timeout') * 1000,
    maxQueueSize: positiveInt(flags.maxQueueSize, '--max-queue-size'),
    queueTimeoutMs: positiveInt(flags.queueTimeoutMs, '--queue-timeout-ms'),
    intraOpThreads: positiveInt(flags.intraOpThreads, '--intra-op-threads'),
    ...(process.env['SLIPWAY_PAUSE_AT'] ? { pauseAt: process.env['SLIPWAY_PAUSE_AT'] } : {}),
    log: flags.log === true,
  }
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve a Triton-layout model repository over the Open Inference Protocol (KServe v2)')
    .requiredOption('--repo <dir>', 'model repository (name/config.pbtxt, name/<version>/model.onnx)')
    .option('--state-dir <dir>', 'staging area for uploads (default: .<repo>.slipway beside the repository)')
    .option('--host <host>', 'address to bind; anything but loopback needs --infer-token-file', DEFAULTS.host)
    .option('--port <port>', 'port to listen on (0: any free port)', String(DEFAULTS.port))
    .option('--admin-token-file <file>', 'file holding the management token; without it publishing is disabled')
    .option('--infer-token-file <file>', 'file holding the inference token; without it inference is open (loopback only)')
    .option('--tls-cert <file>', 'PEM certificate for HTTPS')
    .option('--tls-key <file>', 'PEM private key for HTTPS')
    .option('--allowed-host <name>', 'extra Host header name to accept (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--max-body-bytes <n>', 'largest inference request body with binary tensors', String(DEFAULTS.maxBodyBytes))
    .option('--max-json-body-bytes <n>', 'largest inference request body in JSON only', String(DEFAULTS.maxJsonBodyBytes))
    .option('--max-upload-bytes <n>', 'largest published version (model plus external data files)', String(DEFAULTS.maxUploadBytes))
    .option('--upload-idle-timeout <s>', 'end an upload that sends nothing for this many seconds', String(DEFAULTS.uploadIdleTimeoutMs / 1000))
    .option('--max-queue-size <n>', 'requests queued per model version before 503', String(DEFAULTS.maxQueueSize))
    .option('--queue-timeout-ms <ms>', 'answer 504 to requests queued longer than this', String(DEFAULTS.queueTimeoutMs))
    .option('--intra-op-threads <n>', 'ONNX Runtime threads per session (0: its default)', '0')
    .option('--log', 'log every request to stdout')
    .action(async (flags: ServeFlags) => {
      // Loaded here, not at start-up: every other command (and --help) would pay for fastify and ONNX Runtime.
      const { startServer } = await import('./server')
      const server = await startServer(await serveOptionsFromFlags(flags))
      process.stdout.write(`slipway serving ${flags.repo} at ${server.url}\n`)
      const stop = () => {
        void server.close().then(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
