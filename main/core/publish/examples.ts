// Copy-paste examples for a published model: curl, Python (tritonclient, which speaks to Slipway, Triton
// and KServe's Triton runtime alike) and JavaScript fetch, with the model's first input and a zero tensor.
import type { ModelConfig } from '../serving/model-config'

export interface Examples {
  readonly curl: string
  readonly python: string
  readonly javascript: string
}

const NUMPY_TYPES: Record<string, string> = { FP32: 'float32', FP16: 'float16', FP64: 'float64', INT64: 'int64', INT32: 'int32', INT8: 'int8', UINT8: 'uint8', BOOL: 'bool' }

export function examplesFor(baseUrl: string, config: ModelConfig, tokenNeeded: boolean): Examples {
  const input = config.inputs[0] ?? { name: 'input', datatype: 'FP32' as const, dims: [1] }
  const shape = [...(config.maxBatchSize > 0 ? [1] : []), ...input.dims.map((d) => (d < 0 ? 1 : d))]
  const count = shape.reduce((a, b) => a * b, 1)
  const output = config.outputs[0]?.name ?? 'output'
  const url = `${baseUrl}/v2/models/${config.name}/infer`
  const auth = tokenNeeded ? ` -H "Authorization: Bearer $SLIPWAY_TOKEN"` : ''
  const host = baseUrl.replace(/^https?:\/\//, '')
  // Zeros stand in for real values; past a few thousand the command line gets unwieldy, so say how many.
  const data = count <= 4096 ? JSON.stringify(new Array(count).fill(0)) : `[...${count} values...]`
  const curl = `curl -s -X POST ${url}${auth} -H 'content-type: application/json' \\
  -d '{"inputs":[{"name":"${input.name}","shape":${JSON.stringify(shape)},"datatype":"${input.datatype}","data":${data}}]}'`
  const python = `# pip install tritonclient[http] numpy
import numpy as np
import tritonclient.http as httpclient

client = httpclient.InferenceServerClient(url="${host}"${baseUrl.startsWith('https') ? ', ssl=True' : ''})
x = np.zeros(${JSON.stringify(shape).replace('[', '(').replace(']', ')')}, dtype=np.${NUMPY_TYPES[input.datatype] ?? 'float32'})
inp = httpclient.InferInput("${input.name}", list(x.shape), "${input.datatype}")
inp.set_data_from_numpy(x)
result = client.infer("${config.name}", [inp]${tokenNeeded ? ', headers={"Authorization": "Bearer " + TOKEN}' : ''})
print(result.as_numpy("${output}"))`
  const javascript = `const response = await fetch('${url}', {
  method: 'POST',
  headers: { 'content-type': 'application/json'${tokenNeeded ? ", authorization: 'Bearer ' + token" : ''} },
  body: JSON.stringify({ inputs: [{ name: '${input.name}', shape: ${JSON.stringify(shape)}, datatype: '${input.datatype}', data: new Array(${count}).fill(0) }] }),
})
const { outputs } = await response.json()
console.log(outputs.find((o) => o.name === '${output}').data)`
  return { curl, python, javascript }
}
