// Native menus: the standard roles, plus what a workbench needs from a menu bar.
import { Menu, shell, type MenuItemConstructorOptions } from 'electron'

export function installMenu(openWorkspaceFolder: () => void): void {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Show Workspace Folder', accelerator: 'CmdOrCtrl+Shift+O', click: openWorkspaceFolder },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Open Inference Protocol', click: () => void shell.openExternal('https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/') }],
    },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
