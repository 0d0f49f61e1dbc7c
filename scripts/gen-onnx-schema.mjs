// Regenerates main/core/onnx/onnx-schema.json from onnx.proto (run after editing the schema).
import protobuf from 'protobufjs'
import { writeFile } from 'node:fs/promises'

const root = await protobuf.load(new URL('../main/core/onnx/onnx.proto', import.meta.url).pathname)
await writeFile(
  new URL('../main/core/onnx/onnx-schema.json', import.meta.url),
  JSON.stringify(root.toJSON({ keepComments: false })) + '\n',
)
