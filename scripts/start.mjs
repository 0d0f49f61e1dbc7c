// `npm start`: the desktop app where Electron's binary is available; otherwise the same workbench in the
// browser host, whose URL is printed.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/** The Electron binary's path, fetching it once if npm skipped Electron's download (allowScripts). */
function electronBinary() {
  const find = () => {
    try {
      const path = require('electron')
      return typeof path === 'string' && existsSync(path) ? path : undefined
    } catch {
      return undefined
    }
  }
  let path = find()
  if (!path) {
    console.log('Fetching the Electron binary (first run)…')
    spawnSync(process.execPath, [require.resolve('electron/install.js')], { stdio: 'inherit', timeout: 120_000 })
    delete require.cache[require.resolve('electron')]
    path = find()
  }
  return path
}

function noDisplay() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
}

run(npm, ['run', 'build:renderer', '--silent'])
const electron = noDisplay() ? undefined : electronBinary()
if (electron) {
  run(npm, ['run', 'build:electron', '--silent'])
  const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log(
    noDisplay()
      ? 'No display here: opening the workbench in the browser host instead of the desktop window.'
      : "Electron's binary is not available here: opening the workbench in the browser host instead.",
  )
  const child = spawn(process.execPath, ['bin/slipway.js', 'ui', ...process.argv.slice(2)], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
}
