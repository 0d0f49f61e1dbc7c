// Composition root of the desktop app: engine service → IPC → window. Electron glue only.
import { app, BrowserWindow, dialog, shell } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createAppService } from '../core/app-service'
import { defaultWorkspaceDir } from '../core/workspace/default-workspace-dir'
import { eventChannel } from '../../preload/api'
import { forwardEvents, registerApi } from './ipc'
import { installMenu } from './menu'
import { SafeStorageSecretStore } from './secret-store'
import { addRecent, clearRecent, readRecent } from './recent'
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
    spawnWorker: (flags) => spawnUtilityWorker(workerEntry, flags),
    addSampleOnFirstRun: true,
    secretStore: new SafeStorageSecretStore(join(app.getPath('userData'), 'secrets.json')),
  })
  const paths = rendererPaths(outDir)
  const trustedUrl = pathToFileURL(paths.index).href
  registerApi(service.api, (url) => url === trustedUrl)
  forwardEvents(service, () => BrowserWindow.getAllWindows()[0]?.webContents)
  const contents = (): Electron.WebContents | undefined => BrowserWindow.getAllWindows()[0]?.webContents
  const importPath = async (path: string): Promise<void> => {
    try {
      await service.api.importModel({ kind: 'paths', paths: [path] })
      menu(await addRecent(path))
    } catch (error) {
      dialog.showErrorBox('Could not open the model', error instanceof Error ? error.message : String(error))
    }
  }
  const menu = (recent: readonly string[]): void =>
    installMenu(
      {
        open: () =>
          void dialog
            .showOpenDialog({ properties: ['openFile'], filters: [{ name: 'Models', extensions: ['onnx', 'json'] }] })
            .then(async ({ filePaths }) => {
              if (filePaths[0]) await importPath(filePaths[0])
            }),
        openRecent: (path) => void importPath(path),
        clearRecent: () => void clearRecent().then(() => menu([])),
        showWorkspaceFolder: () => void shell.openPath(service.workspace.dir),
        send: (command) => contents()?.send(eventChannel('menu-command'), { command }),
      },
      recent,
    )
  menu(await readRecent())
  await createMainWindow(paths.index, paths.preload, join(app.getPath('userData'), 'window-state.json'))
  app.on('window-all-closed', () => app.quit())
}

void start()
