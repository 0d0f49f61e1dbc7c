// Native menus: File (Open, Open Recent, Export Report, Show Workspace Folder, Quit), View with the
// workbench's tabs, and the standard roles. Items that act on the page send it a menu-command event.
import { basename } from 'node:path'
import { Menu, shell, type MenuItemConstructorOptions } from 'electron'
import type { MenuCommand } from '../../preload/api'

export interface MenuActions {
  /** Shows the open dialog and imports what the user picks. */
  open(): void
  openRecent(path: string): void
  clearRecent(): void
  showWorkspaceFolder(): void
  send(command: MenuCommand): void
}

export function installMenu(actions: MenuActions, recent: readonly string[]): void {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Model…', accelerator: 'CmdOrCtrl+O', click: actions.open },
        {
          label: 'Open Recent',
          submenu: [
            ...(recent.length === 0
              ? [{ label: 'No recent models', enabled: false }]
              : recent.map((path) => ({ label: basename(path), sublabel: path, click: () => actions.openRecent(path) }))),
            { type: 'separator' },
            { label: 'Clear Menu', enabled: recent.length > 0, click: actions.clearRecent },
          ],
        },
        { type: 'separator' },
        { label: 'Export Comparison Report…', accelerator: 'CmdOrCtrl+E', click: () => actions.send('export-report') },
        { label: 'Show Workspace Folder', accelerator: 'CmdOrCtrl+Shift+O', click: actions.showWorkspaceFolder },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Optimize', accelerator: 'CmdOrCtrl+2', click: () => actions.send('show-optimize') },
        { label: 'Benchmark', accelerator: 'CmdOrCtrl+3', click: () => actions.send('show-benchmark') },
        { label: 'Compare', accelerator: 'CmdOrCtrl+4', click: () => actions.send('show-compare') },
        { type: 'separator' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Open Inference Protocol', click: () => void shell.openExternal('https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/') }],
    },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
