// For tests that watch which worker tasks run: real worker processes, with a callback told of each task
// as it is sent (to count them, or to kill the worker the way a crash would).
import { spawnNodeWorker, type SpawnWorker, type WorkerHandle } from './spawn-node-worker'
import type { TaskName } from './task-registry'

export function watchedSpawn(onRun: (task: TaskName, worker: WorkerHandle) => void): SpawnWorker {
  return (flags) => {
    const worker = spawnNodeWorker(flags)
    return {
      ...worker,
      pid: worker.pid,
      send: (message) => {
        worker.send(message)
        if (message.type === 'run') onRun(message.task as TaskName, worker)
      },
    }
  }
}
