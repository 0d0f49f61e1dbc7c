// Worker processes under Electron: utilityProcess, with the same handle as child_process under Node.
import { utilityProcess } from 'electron'
import { workerEnv, workerExecArgv, type WorkerFlags, type WorkerHandle } from '../core/worker/spawn-node-worker'
import type { FromWorker } from '../core/worker/worker-protocol'

export function spawnUtilityWorker(entryPath: string, flags?: WorkerFlags): WorkerHandle {
  const child = utilityProcess.fork(entryPath, [], { serviceName: 'Slipway engine', stdio: 'inherit', env: workerEnv(), execArgv: workerExecArgv(flags) })
  return {
    get pid() {
      return child.pid
    },
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as FromWorker)),
    onExit: (listener) => child.on('exit', (code) => listener(code, null)),
    kill: () => {
      child.kill()
    },
  }
}
