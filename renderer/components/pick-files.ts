// Turning a drop or a file-input pick into files with their paths inside dropped folders.
import type { PickedFile } from '../../preload/api'

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject))
}

async function expandEntry(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
    out.push({ file, relativePath: prefix + entry.name })
    return
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader()
  // readEntries returns the folder in batches until it returns an empty one.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await expandEntry(child, `${prefix}${entry.name}/`, out)
  }
}

export async function filesFromDrop(transfer: DataTransfer): Promise<{ dropped: File[]; expanded: PickedFile[] }> {
  const dropped = [...transfer.files]
  const entries = [...transfer.items]
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => entry !== null && entry !== undefined)
  const expanded: PickedFile[] = []
  if (entries.length === 0) return { dropped, expanded: dropped.map((file) => ({ file, relativePath: file.name })) }
  for (const entry of entries) await expandEntry(entry, '', expanded)
  return { dropped, expanded }
}

export function filesFromInput(list: FileList): { dropped: File[]; expanded: PickedFile[] } {
  const dropped = [...list]
  return { dropped, expanded: dropped.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name })) }
}

/** Arrays and tables for calibration or evaluation, as opposed to model files. */
export function isDataFile(name: string): boolean {
  return /\.(npy|npz|csv)$/i.test(name) || /^input_\d+\.pb$/i.test(name.split('/').pop() ?? '')
}
