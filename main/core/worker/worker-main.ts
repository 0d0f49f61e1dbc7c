// Entry point of a worker process (child_process under Node, utilityProcess under Electron).
// Runs the tasks of task-registry.ts; a crash here takes down only this process.
import { createJobContext } from '../jobs/job-context'
import { toErrorInfo } from '../errors'
import { readPeakRssBytes } from './run-in-worker'
import { taskLoaders, type TaskHandler } from './task-registry'
import type { FromWorker, ToWorker } from './worker-protocol'

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort

function send(message: FromWorker): void {
  if (parentPort) parentPort.postMessage(message)
  else process.send?.(message)
}

function onMessage(listener: (message: ToWorker) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data as ToWorker))
  else process.on('message', (message) => listener(message as ToWorker))
}

const running = new Map<number, AbortController>()

async function run(taskId: number, task: string, params: unknown): Promise<void> {
  const controller = new AbortController()
  running.set(taskId, controller)
  const ctx = createJobContext(controller.signal, (fraction, stage, detail) =>
    send({ type: 'progress', taskId, fraction, stage, ...(detail === undefined ? {} : { detail }) }),
  )
  try {
    const load = (taskLoaders as Record<string, () => Promise<TaskHandler>>)[task]
    if (!load) throw new Error(`unknown worker task "${task}"`)
    const handler = await load()
    const result = await handler(params as never, ctx)
    const peakRssBytes = await readPeakRssBytes()
    send({ type: 'result', taskId, result, ...(peakRssBytes === undefined ? {} : { peakRssBytes }) })
  } catch (error) {
    send({ type: 'error', taskId, error: toErrorInfo(error) })
  } finally {
    running.delete(taskId)
  }
}

onMessage((message) => {
  switch (message.type) {
    case 'run':
      void run(message.taskId, message.task, message.params)
      break
    case 'cancel':
      running.get(message.taskId)?.abort()
      break
  }
})

// Without a parent there is nobody to serve: exit instead of lingering as an orphan.
process.on('disconnect', () => process.exit(0))
send({ type: 'ready', pid: process.pid })
