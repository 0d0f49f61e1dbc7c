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

export type SpawnWorker = () => WorkerHandle

const entry = new URL('./worker-main', import.meta.url)

/** From sources (.ts, run by tsx) the child needs tsx's loader too; a bundled build points at its .js entry. */
export function spawnNodeWorker(entryPath?: string): WorkerHandle {
  const fromSources = import.meta.url.endsWith('.ts')
  const path = entryPath ?? fileURLToPath(entry) + (fromSources ? '.ts' : '.js')
  const child = fork(path, [], {
    execArgv: fromSources ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
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
