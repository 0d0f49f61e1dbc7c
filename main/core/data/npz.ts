// NumPy .npz archives (np.savez / np.savez_compressed): a zip of .npy files, one per array, named by key.
import { unzip } from 'fflate'
import { FileError } from '../errors'
import { NpyFormatError, parseNpy, type HostTensor } from './npy'
import { readUserFile } from '../fs/read-user-file'

function unzipAsync(bytes: Uint8Array): Promise<Record<string, Uint8Array>> {
  return new Promise((resolve, reject) => unzip(bytes, (error, files) => (error ? reject(error) : resolve(files))))
}

/** Every array of an .npz by its key (the member name without '.npy'). */
export async function readNpz(path: string): Promise<Map<string, HostTensor>> {
  const bytes = await readUserFile(path)
  let files: Record<string, Uint8Array>
  try {
    files = await unzipAsync(bytes)
  } catch (error) {
    throw new FileError(path, `not a valid .npz (zip) archive: ${(error as Error).message}`)
  }
  const arrays = new Map<string, HostTensor>()
  for (const [member, content] of Object.entries(files)) {
    if (!member.endsWith('.npy')) continue
    try {
      arrays.set(member.slice(0, -4), parseNpy(content))
    } catch (error) {
      if (error instanceof NpyFormatError) throw new FileError(path, `member ${member}: ${error.message}`)
      throw error
    }
  }
  if (arrays.size === 0) throw new FileError(path, 'the archive holds no .npy arrays')
  return arrays
}
