// The app icon in every size and format from its one source, resources/build/icon.svg: the PNG and ICO that
// electron-builder packages (and the desktop window shows), the browser tab's favicon.ico and SVG.
// Run after editing the SVG (`npm run icons`); the outputs are committed.
import { copyFile, writeFile } from 'node:fs/promises'
import sharp from 'sharp'

const source = 'resources/build/icon.svg'
const png = (size) => sharp(source, { density: (72 * size) / 512 }).resize(size, size).png().toBuffer()

/** An ICO file holding PNG images (read by Windows Vista and later and by every browser). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, entry)
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1)
    header.writeUInt16LE(1, entry + 4)
    header.writeUInt16LE(32, entry + 6)
    header.writeUInt32LE(data.length, entry + 8)
    header.writeUInt32LE(offset, entry + 12)
    offset += data.length
  })
  return Buffer.concat([header, ...images.map(({ data }) => data)])
}

const sizes = async (list) => Promise.all(list.map(async (size) => ({ size, data: await png(size) })))
await writeFile('resources/build/icon.png', await png(512))
await writeFile('resources/build/icon.ico', ico(await sizes([16, 24, 32, 48, 64, 128, 256])))
await writeFile('renderer/public/favicon.ico', ico(await sizes([16, 32, 48])))
await copyFile(source, 'renderer/public/favicon.svg')
