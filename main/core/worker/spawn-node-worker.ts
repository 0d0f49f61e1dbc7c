// Starts a worker process under plain Node (CLI, browser host, tests). Electron uses utilityProcess instead
// (main/electron/utility-worker.ts); both return the same handle.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FromWorker, ToWorker } from './worker-protocol'

export interface WorkerHandle {
  readonly pid: number | undefined
  send(message: ToWorker): void
  onMessage(listener: (message: FromWorker) => void): void
  onExit(listener: (code: number | null, signal: string | null) => void): void
  kill(): void
}

/** How a task wants its worker process started. */
export interface WorkerFlags {
  /**
   * Keep V8's young generation at the 1 MB a fresh process starts with. Loading the engine grows it to
   * 16 MB, and every run's few small objects then sweep 16 MB of cache before a scavenge: an ONNX model of
   * 15 µs ran 11% slower in a benchmark worker than in a bare script. TF.js allocates far more per run, so
   * more scavenges cost it instead (MobileNetV2 layers-model about 5%): benchmarks ask for it for ONNX only.
   */
  readonly smallYoungGeneration?: boolean
}

export type SpawnWorker = (flags?: WorkerFlags) => WorkerHandle

/**
 * The environment of a worker process. glibc serves a freed allocation's size from its heap from then
 * on and keeps that heap: a released ONNX Runtime session of a 100 MB model stayed resident (+116 MB)
 * while the recipe went on to read the model itself. Allocations of 1 MB and more always go to mmap
 * with a fixed threshold, so what a session frees goes back to the system.
 */
export function workerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '1048576' }
}

/** --expose-gc: a recipe collects its written model before ONNX Runtime loads the output (recipe-output.ts). */
export function workerExecArgv(flags: WorkerFlags = {}): string[] {
  return ['--expose-gc', ...(flags.smallYoungGeneration ? ['--max-semi-space-size=1'] : [])]
}

const entry = new URL('./worker-main', import.meta.url)

/** From sources (.ts, run by tsx) the child needs tsx's loader too; a bundled build points at its .js entry. */
export function spawnNodeWorker(flags?: WorkerFlags): WorkerHandle {
  const fromSources = import.meta.url.endsWith('.ts')
  const path = fileURLToPath(entry) + (fromSources ? '.ts' : '.js')
  const child = fork(path, [], {
    execArgv: [...(fromSources ? ['--import', 'tsx'] : []), ...workerExecArgv(flags)],
    serialization: 'advanced',
    env: workerEnv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as FromWorker)),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    kill: () => {
      child.kill('SIGKILL')
    },
  }
}
