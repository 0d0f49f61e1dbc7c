// `convert --to onnx` for TF.js layers-models: converts, writes the .onnx atomically, then runs the ONNX
// model in ONNX Runtime and TF.js on the same inputs and reports the largest difference; an output that
// does not match is not handed back as a success.
import { stat } from 'node:fs/promises'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { FileError, UserError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { writeOnnxModel } from '../onnx/model-file'
import { appVersion } from '../resources'
import { layersModelToOnnx, onnxOpset } from './layers-to-onnx'
import { loadTfjsModel, sampleInputs, type LoadedTfjsModel } from './tfjs-model'
import type { TfjsToOnnxSummary } from '../../../preload/api'

export interface TfjsToOnnxParams {
  readonly modelPath: string
  readonly outPath: string
}

/** Outputs further apart than this mean the conversion is wrong, not float rounding. */
export const conversionTolerance = 1e-4
const comparedBatch = 2

/** Runs `onnxPath` in ONNX Runtime and the TF.js model on the same inputs; the largest output difference. */
export async function compareWithOnnx(model: LoadedTfjsModel, onnxPath: string, batch: number, seed: number): Promise<number> {
  const session = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: 1 })
  const inputs = sampleInputs(model, batch, seed)
  try {
    const feeds: Record<string, ort.Tensor> = {}
    for (const [i, name] of session.inputNames.entries()) {
      const t = inputs[i] as tf.Tensor
      feeds[name] = new ort.Tensor('float32', (await t.data()) as Float32Array, t.shape)
    }
    const results = await session.run(feeds)
    const expected = await model.run(inputs)
    let worst = 0
    for (const [i, name] of session.outputNames.entries()) {
      const got = results[name]?.data as Float32Array
      const want = (await (expected[i] as tf.Tensor).data()) as Float32Array
      if (got.length !== want.length) return Number.POSITIVE_INFINITY
      for (let k = 0; k < got.length; k++) worst = Math.max(worst, Math.abs((got[k] as number) - (want[k] as number)))
    }
    tf.dispose(expected)
    return worst
  } finally {
    tf.dispose(inputs)
    await session.release()
  }
}

export async function convertTfjsToOnnx(params: TfjsToOnnxParams, ctx: JobContext): Promise<TfjsToOnnxSummary> {
  ctx.progress(0, 'loading')
  const model = await loadTfjsModel(params.modelPath)
  try {
    if (!model.layersModel)
      throw new UserError(
        `${params.modelPath}: only TF.js layers-models convert to ONNX; this is a graph-model (convert the original TensorFlow SavedModel with tf2onnx instead)`,
      )
    ctx.throwIfCancelled()
    ctx.progress(0.2, 'converting')
    const converted = layersModelToOnnx(model.layersModel, params.modelPath, appVersion)
    await writeOnnxModel(params.outPath, converted.model)
    ctx.throwIfCancelled()
    ctx.progress(0.6, 'verifying', 'running ONNX Runtime and TF.js on the same inputs')
    const maxAbsDiff = await compareWithOnnx(model, params.outPath, comparedBatch, 1)
    if (!(maxAbsDiff <= conversionTolerance))
      throw new FileError(
        params.outPath,
        `the converted model's outputs differ from TF.js's by up to ${maxAbsDiff} (tolerance ${conversionTolerance}); the conversion is wrong for this model`,
      )
    ctx.progress(1, 'done')
    return {
      outPath: params.outPath,
      sizeBytes: (await stat(params.outPath)).size,
      opset: onnxOpset,
      layerCount: converted.layerCount,
      nodeCount: converted.nodeCount,
      transposes: converted.transposes,
      inputs: converted.inputNames,
      outputs: converted.outputNames,
      maxAbsDiff,
      comparedSamples: comparedBatch,
      tfjsBackend: model.backend.label,
      onnxRuntime: `ONNX Runtime ${ort.env.versions.node ?? ''}`.trim(),
      note: 'Inputs and outputs keep TF.js\'s NHWC layout; weights are float32 (quantized TF.js weights are dequantized), so the .onnx can be larger than the TF.js shards. Optimize it with the ONNX recipes.',
    }
  } finally {
    model.dispose()
  }
}
