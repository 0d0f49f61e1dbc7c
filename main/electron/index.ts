// Composition root of the desktop app: engine service → IPC → window. Electron glue only.
import { app, BrowserWindow, shell } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createAppService } from '../core/app-service'
import { defaultWorkspaceDir } from '../core/workspace/default-workspace-dir'
import { forwardEvents, registerApi } from './ipc'
import { installMenu } from './menu'
import { spawnUtilityWorker } from './utility-worker'
import { createMainWindow, rendererPaths } from './window'

// The bundle sits in out/main/; the renderer, preload and worker bundles beside it.
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const workerEntry = join(outDir, 'worker', 'worker-main.mjs')

async function start(): Promise<void> {
  await app.whenReady()
  const workspaceFlag = process.argv.find((arg) => arg.startsWith('--workspace='))
  const service = await createAppService({
    workspaceDir: workspaceFlag?.slice('--workspace='.length) ?? defaultWorkspaceDir(),
    host: 'electron',
    spawnWorker: () => spawnUtilityWorker(workerEntry),
    addSampleOnFirstRun: true,
  })
  const paths = rendererPaths(outDir)
  const trustedUrl = pathToFileURL(paths.index).href
  registerApi(service.api, (url) => url === trustedUrl)
  forwardEvents(service, () => BrowserWindow.getAllWindows()[0]?.webContents)
  installMenu(() => void shell.openPath(service.workspace.dir))
  await createMainWindow(paths.index, paths.preload, join(app.getPath('userData'), 'window-state.json'))
  app.on('window-all-closed', () => app.quit())
}

void start()
