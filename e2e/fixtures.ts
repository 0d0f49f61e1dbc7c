// Each test gets its own workspace and its own browser host (a real `slipway ui` process on loopback).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'

export interface Workbench {
  readonly url: string
  readonly workspaceDir: string
  /** Lines the host printed on stderr (for error checks). */
  readonly stderr: string[]
}

async function startHost(workspaceDir: string): Promise<{ host: Workbench; process: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/slipway.js', 'ui', '--port', '0', '--workspace', workspaceDir, '--no-open'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /Slipway workbench: (\S+)/.exec(out)
      if (match) resolve(match[1] as string)
    })
    child.on('exit', (code) => reject(new Error(`slipway ui exited with ${code}: ${stderr.join('')}`)))
  })
  return { host: { url, workspaceDir, stderr }, process: child }
}

export const test = base.extend<{ workbench: Workbench; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  workbench: async ({}, use) => {
    const workspaceDir = await mkdtemp(join(tmpdir(), 'slipway-e2e-'))
    const { host, process: child } = await startHost(workspaceDir)
    await use(host)
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    await rm(workspaceDir, { recursive: true, force: true })
  },
  app: async ({ page, workbench }, use) => {
    await page.goto(workbench.url)
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible()
    await use(page)
  },
})

export { expect }

/** One call of the workbench's API over HTTP, as the page makes it (the token from the page's URL). */
export async function api<T>(workbenchUrl: string, method: string, args: unknown[]): Promise<T> {
  const url = new URL(workbenchUrl)
  const response = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slipway-token': url.searchParams.get('token') ?? '' },
    body: JSON.stringify({ args }),
  })
  const body = (await response.json()) as { result: T; error?: { message: string } }
  if (body.error) throw new Error(body.error.message)
  return body.result
}

/** Drops files on the window as a user's drag and drop does (a real DOM drop event with a DataTransfer). */
export async function dropFiles(page: Page, files: readonly { name: string; bytes: Buffer }[]): Promise<void> {
  const payload = files.map((file) => ({ name: file.name, base64: file.bytes.toString('base64') }))
  await page.evaluate((items) => {
    const transfer = new DataTransfer()
    for (const item of items) {
      const binary = atob(item.base64)
      const bytes = new Uint8Array(binary.length)
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
      transfer.items.add(new File([bytes], item.name))
    }
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true }))
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }))
  }, payload)
}
