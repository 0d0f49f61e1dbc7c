// The engine's errors reach the UI too: a message that names a CLI flag must be a coded problem
// (problem-text.ts words it for the CLI, the renderer for the UI), unless only the CLI can raise it.
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Messages that only the CLI's own parsing can raise, by file: the UI never sends what they refuse. */
const cliOnly: Readonly<Record<string, RegExp>> = {
  'bench/input-spec.ts': /--(range|value|shape)\b/, // parse*Options: the text of --shape/--range/--value
  'publish/deployments.ts': /--to\b/, // the UI deletes one version it names
}

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))))
  return nested.flat().filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('problem-text.ts'))
}

describe('engine error messages', () => {
  it('name no CLI flag outside coded problems', async () => {
    const root = join(__dirname)
    const offending: string[] = []
    for (const file of await sources(root)) {
      const name = relative(root, file)
      const lines = (await readFile(file, 'utf8')).split('\n')
      lines.forEach((line, i) => {
        if (!/Error\(|reason: |warnings\.push\(/.test(line) || !/(^|[\s'`(])--[a-z]/.test(line)) return
        if (cliOnly[name]?.test(line)) return
        offending.push(`${name}:${i + 1}: ${line.trim()}`)
      })
    }
    expect(offending).toEqual([])
  })
})
