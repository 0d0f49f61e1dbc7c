// Runs the opset converter over every libonnx-testdata model older than opset 13: upgrades it, runs it in
// ONNX Runtime on test_data_set_0 and compares with the expected outputs. Prints the tally and every
// model that was refused, broken or mismatched. `npx tsx scripts/opset-upgrade-coverage.ts`
import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { decodeModel } from '../main/core/onnx/codec'
import { opsetVersion } from '../main/core/onnx/graph-edit'
import { checkUpgrade, testdataModelDirs, testdataRoot } from '../main/core/onnx/testdata-support'

const tally: Record<string, number> = {}
const problems: string[] = []
for (const dir of await testdataModelDirs()) {
  const model = decodeModel(new Uint8Array(await readFile(join(dir, 'model.onnx'))))
  if (opsetVersion(model.opsetImport) >= 13) continue
  const check = await checkUpgrade(dir)
  tally[check.kind] = (tally[check.kind] ?? 0) + 1
  if ('detail' in check) problems.push(`${check.kind.padEnd(10)} ${relative(testdataRoot, dir)}: ${check.detail}`)
}
console.log(problems.join('\n'))
const total = Object.values(tally).reduce((a, b) => a + b, 0)
console.log(`${total} models below opset 13: ${Object.entries(tally).map(([k, v]) => `${v} ${k}`).join(', ')}`)
