// The workbench window, with Electron's secure defaults: context isolation, sandbox, no Node in the page,
// no new windows, no navigation away from the app (a dropped HTML file must not replace the workbench).
import { BrowserWindow, screen, shell } from 'electron'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeJsonAtomic } from '../core/serving/atomic-write'
import { appRoot } from '../core/resources'

interface WindowState {
  readonly x?: number
  readonly y?: number
  readonly width: number
  readonly height: number
  readonly maximized: boolean
}

async function readWindowState(path: string): Promise<WindowState> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as WindowState
    const visible = screen.getAllDisplays().some(({ workArea }) => state.x === undefined || state.y === undefined || (state.x >= workArea.x - 50 && state.y >= workArea.y - 50 && state.x < workArea.x + workArea.width && state.y < workArea.y + workArea.height))
    return visible ? state : { width: state.width, height: state.height, maximized: state.maximized }
  } catch {
    return { width: 1280, height: 820, maximized: false }
  }
}

export async function createMainWindow(rendererIndex: string, preloadPath: string, stateFile: string): Promise<BrowserWindow> {
  const state = await readWindowState(stateFile)
  const window = new BrowserWindow({
    ...state,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Slipway',
    // The packaged app's icon comes from electron-builder; this one shows in the taskbar when run from sources.
    icon: join(appRoot, 'resources', 'build', 'icon.png'),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  if (state.maximized) window.maximize()
  window.once('ready-to-show', () => window.show())

  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.on('will-redirect', (event) => event.preventDefault())

  window.on('close', () => {
    const bounds = window.getNormalBounds()
    void writeJsonAtomic(stateFile, { ...bounds, maximized: window.isMaximized() } satisfies WindowState)
  })

  await window.loadFile(rendererIndex)
  return window
}

export function rendererPaths(outDir: string): { index: string; preload: string } {
  return { index: join(outDir, 'renderer', 'index.html'), preload: join(outDir, 'preload', 'index.cjs') }
}
