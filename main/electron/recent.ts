// Recently opened model paths, newest first, kept in the user-data folder (the OS list is fed too, for
// the dock and jump list).
import { app } from 'electron'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeJsonAtomic } from '../core/serving/atomic-write'

const MAX_RECENT = 10

function recentFile(): string {
  return join(app.getPath('userData'), 'recent.json')
}

export async function readRecent(): Promise<string[]> {
  try {
    const list = JSON.parse(await readFile(recentFile(), 'utf8')) as unknown
    return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []
  } catch {
    return []
  }
}

export async function addRecent(path: string): Promise<string[]> {
  const list = [path, ...(await readRecent()).filter((item) => item !== path)].slice(0, MAX_RECENT)
  app.addRecentDocument(path)
  await writeJsonAtomic(recentFile(), list)
  return list
}

export async function clearRecent(): Promise<void> {
  app.clearRecentDocuments()
  await writeJsonAtomic(recentFile(), [])
}
