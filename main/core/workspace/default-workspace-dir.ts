// Where the workspace lives when nobody says otherwise: the per-user data folder of each OS.
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SLIPWAY_WORKSPACE) return env.SLIPWAY_WORKSPACE
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Slipway')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Slipway')
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'slipway')
}
