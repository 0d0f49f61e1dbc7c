import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeModel } from './codec'
import { sameComputation } from './same-computation'
import { tensorToArray } from './tensor-data'

const fixture = fileURLToPath(new URL('../../../test-fixtures/onnx/digits_mlp.onnx', import.meta.url))

describe('same computation', () => {
  it('ignores what a re-encoding adds or drops, and sees one changed weight or node', async () => {
    const bytes = await readFile(fixture)
    const parent = decodeModel(bytes)
    const annotated = decodeModel(bytes)
    annotated.producerName = 'slipway'
    annotated.docString = 'rewritten'
    if (annotated.graph) {
      annotated.graph.name = 'renamed'
      annotated.graph.valueInfo = [...(annotated.graph.output ?? [])]
    }
    expect(sameComputation(parent, annotated)).toBe(true)

    const weight = decodeModel(bytes)
    const tensor = weight.graph?.initializer?.[0]
    if (!tensor) throw new Error('digits_mlp has initializers')
    const values = Float32Array.from(tensorToArray(tensor) as Float32Array)
    values[0] = (values[0] as number) + 1e-3
    tensor.rawData = new Uint8Array(values.buffer)
    tensor.floatData = []
    expect(sameComputation(parent, weight)).toBe(false)

    const node = decodeModel(bytes)
    node.graph?.node?.pop()
    expect(sameComputation(parent, node)).toBe(false)
  })
})
