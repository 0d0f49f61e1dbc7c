// `distill` for TF.js layers-models: trains a narrower student of the teacher's architecture on the
// teacher's temperature-softened outputs (Hinton et al. 2015), plus the hard labels when given. Training
// runs where TF.js can train: tfjs-node when installed, else the cpu backend. With labels, a held-out
// part of the data measures teacher and student on the same samples, and the student is measured after
// it was written and loaded back with TF.js's own loader.
import * as tf from '@tensorflow/tfjs'
import type { SettingName, TfjsDistillOptions, TfjsDistillSummary } from '../../../preload/api'
import { readNpy } from '../data/npy'
import { FileError, ProblemError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { seededRandom } from '../bench/random-inputs'
import type { WeightSpec } from './model-json'
import { readTfjsArtifacts } from './node-io-handler'
import { outputLayer, studentTopology, withOutputActivation } from './student-topology'
import { useTrainingBackend } from './tfjs-backend'
import { loadTfjsModel, type LoadedTfjsModel } from './tfjs-model'
import { writeTfjsModel } from './write-tfjs-model'

export interface TfjsDistillParams extends TfjsDistillOptions {
  readonly teacherPath: string
  readonly outDir: string
  /** Share of the samples held out to measure accuracy when labels are given. */
  readonly holdout?: number
  readonly seed?: number
}

const defaults = { width: 0.5, epochs: 10, temperature: 4, alpha: 0.7, batchSize: 32, learningRate: 0.01, holdout: 0.15, seed: 1 }

async function readInputs(path: string, teacher: LoadedTfjsModel): Promise<{ x: Float32Array; count: number; sampleShape: number[] }> {
  const data = await readNpy(path)
  const input = teacher.inputs[0]
  if (!input || teacher.inputs.length !== 1) throw new FileError(teacher.path, 'distillation needs a model with one input')
  const sampleShape = input.shape.slice(1).map((d) => d ?? -1)
  const given = data.dims.slice(1)
  if (given.length !== sampleShape.length || given.some((d, i) => sampleShape[i] !== -1 && d !== sampleShape[i]))
    throw new FileError(path, `holds samples of shape [${given.join(', ')}], but the model's input '${input.name}' takes [${sampleShape.join(', ')}]`)
  const x = data.data instanceof Float32Array ? data.data : Float32Array.from(data.data as ArrayLike<number>)
  return { x, count: data.dims[0] ?? 0, sampleShape: given }
}

async function readLabels(path: string, count: number, classes: number): Promise<Int32Array> {
  const data = await readNpy(path)
  if (data.dims.length !== 1 || data.dims[0] !== count) throw new FileError(path, `holds labels of shape [${data.dims.join(', ')}]; expected [${count}], one per sample`)
  const labels = Int32Array.from(data.data as ArrayLike<number | bigint>, (v) => Number(v))
  const bad = labels.findIndex((v) => !(v >= 0 && v < classes))
  if (bad >= 0) throw new FileError(path, `label ${labels[bad]} at row ${bad} is not a class of the model's ${classes} outputs`)
  return labels
}

function parameterCount(model: tf.LayersModel): number {
  return model.weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0)
}

/** Top-1 accuracy of `predict` on rows `index` of x. */
async function accuracy(predict: (x: tf.Tensor) => Promise<tf.Tensor>, x: tf.Tensor, labels: Int32Array, index: Int32Array): Promise<number> {
  if (index.length === 0) return Number.NaN
  const rows = tf.tensor1d(index, 'int32')
  const xs = tf.gather(x, rows)
  const out = await predict(xs)
  const top = out.argMax(-1)
  const predicted = await top.data()
  tf.dispose([rows, xs, out, top])
  let hits = 0
  for (let i = 0; i < index.length; i++) if (predicted[i] === labels[index[i] as number]) hits++
  return hits / index.length
}

/** The student's artifacts as TF.js saves them, written in the converter's layout. */
async function saveStudent(model: tf.LayersModel, outDir: string): ReturnType<typeof writeTfjsModel> {
  let saved: tf.io.ModelArtifacts | undefined
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
  if (!saved?.weightSpecs || !saved.weightData) throw new Error('TF.js saved no weights for the student')
  const buffers = Array.isArray(saved.weightData) ? saved.weightData : [saved.weightData]
  const data = new Uint8Array(Buffer.concat(buffers.map((b) => new Uint8Array(b))))
  let offset = 0
  const entries = (saved.weightSpecs as WeightSpec[]).map((spec) => {
    const length = spec.shape.reduce((a, b) => a * b, 1) * 4
    const bytes = data.subarray(offset, offset + length)
    offset += length
    return { spec, bytes }
  })
  return writeTfjsModel(
    outDir,
    { format: 'layers-model', generatedBy: saved.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null, modelTopology: saved.modelTopology },
    entries,
  )
}

export async function distillTfjs(params: TfjsDistillParams, ctx: JobContext): Promise<TfjsDistillSummary> {
  const o = { ...defaults, ...params }
  const outOfRange = (setting: SettingName, value: number, rule: string): ProblemError => new ProblemError({ code: 'setting-out-of-range', setting, value, rule })
  if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) throw outOfRange('epochs', o.epochs, 'must be a positive integer')
  if (!(o.temperature > 0)) throw outOfRange('temperature', o.temperature, 'must be above 0')
  if (!(o.alpha >= 0 && o.alpha <= 1)) throw outOfRange('alpha', o.alpha, 'must be in [0, 1]')
  ctx.progress(0, 'loading')
  const backend = await useTrainingBackend()
  const artifacts = await readTfjsArtifacts(params.teacherPath)
  if (artifacts.format !== 'tfjs-layers')
    throw new FileError(params.teacherPath, 'distillation needs a layers-model (the student copies its layers); this is a graph-model')
  const teacher = await loadTfjsModel(params.teacherPath, backend)
  const teacherModel = teacher.layersModel as tf.LayersModel
  const teacherTopology = artifacts.json.modelTopology as Record<string, unknown>
  const output = outputLayer(teacherTopology)
  const classes = teacher.outputs[0]?.shape.at(-1) ?? 0
  const { topology, changes } = studentTopology(teacherTopology, o.width, params.teacherPath)
  const softmaxHead = output.activation === 'softmax'
  const trainNet = await tf.models.modelFromJSON({ modelTopology: (softmaxHead ? withOutputActivation(topology, 'linear') : topology) as tf.io.ModelJSON['modelTopology'] })
  const { x: xData, count, sampleShape } = await readInputs(params.dataPath, teacher)
  const labels = params.labelsPath ? await readLabels(params.labelsPath, count, classes) : undefined

  // Seeded shuffle; with labels the tail is held out for the accuracy comparison.
  const random = seededRandom(o.seed)
  const order = Int32Array.from({ length: count }, (_, i) => i)
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  const heldOut = labels ? Math.round(count * o.holdout) : 0
  const trainIndex = order.slice(0, count - heldOut)
  const testIndex = order.slice(count - heldOut)
  const x = tf.tensor(xData, [count, ...sampleShape])

  ctx.progress(0.02, 'teacher', 'soft labels from the teacher')
  const teacherOut = (await teacher.run([x]))[0] as tf.Tensor
  // Softened targets: softmax(logits / T) = softmax(log p / T) when the teacher ends in softmax.
  const soft = tf.tidy(() => (softmaxHead ? tf.softmax(tf.log(teacherOut.add(1e-12)).div(o.temperature)) : teacherOut.clone()))
  const hard = labels ? tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() : undefined
  const optimizer = tf.train.adam(o.learningRate)
  const variables = trainNet.trainableWeights.map((w) => w.read() as tf.Variable)
  const studentPredict = async (xs: tf.Tensor): Promise<tf.Tensor> => tf.tidy(() => {
    const z = trainNet.predict(xs) as tf.Tensor
    return softmaxHead ? tf.softmax(z) : z
  })
  const epochs: { epoch: number; loss: number; heldOutAccuracy?: number }[] = []
  const steps = Math.ceil(trainIndex.length / o.batchSize)
  const started = performance.now()
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      let lossSum = 0
      for (let step = 0; step < steps; step++) {
        ctx.throwIfCancelled()
        const batch = trainIndex.slice(step * o.batchSize, (step + 1) * o.batchSize)
        const rows = tf.tensor1d(batch, 'int32')
        const cost = optimizer.minimize(
          () => {
            const xs = tf.gather(x, rows)
            const z = trainNet.apply(xs, { training: true }) as tf.Tensor
            if (!softmaxHead) return tf.losses.meanSquaredError(tf.gather(soft, rows), z) as tf.Scalar
            const softLoss = tf.losses.softmaxCrossEntropy(tf.gather(soft, rows), z.div(o.temperature)).mul(o.temperature * o.temperature)
            if (!hard) return softLoss as tf.Scalar
            const hardLoss = tf.losses.softmaxCrossEntropy(tf.gather(hard, rows), z)
            return softLoss.mul(o.alpha).add(hardLoss.mul(1 - o.alpha)) as tf.Scalar
          },
          true,
          variables,
        )
        lossSum += (await (cost as tf.Scalar).data())[0] as number
        tf.dispose([rows, cost as tf.Scalar])
        ctx.progress(0.05 + (0.85 * (epoch + (step + 1) / steps)) / o.epochs, 'training', `epoch ${epoch + 1}/${o.epochs}`)
      }
      const heldOutAccuracy = labels && heldOut > 0 ? await accuracy(studentPredict, x, labels, testIndex) : undefined
      epochs.push({ epoch: epoch + 1, loss: lossSum / steps, ...(heldOutAccuracy === undefined ? {} : { heldOutAccuracy }) })
    }
    const trainingMs = performance.now() - started
    ctx.progress(0.92, 'writing')
    const student = await tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] })
    student.setWeights(trainNet.getWeights())
    const written = await saveStudent(student, params.outDir)
    const studentParams = parameterCount(student)
    student.dispose()
    ctx.progress(0.96, 'verifying', 'loading the student back and measuring it')
    const reloaded = await loadTfjsModel(written.modelPath, backend)
    const predictWith = (m: LoadedTfjsModel) => async (xs: tf.Tensor) => (await m.run([xs]))[0] as tf.Tensor
    const measured =
      labels && heldOut > 0
        ? { teacher: await accuracy(predictWith(teacher), x, labels, testIndex), student: await accuracy(predictWith(reloaded), x, labels, testIndex) }
        : undefined
    reloaded.dispose()
    ctx.progress(1, 'done')
    return {
      modelPath: written.modelPath,
      files: written.files,
      backend: backend.label,
      width: o.width,
      changes,
      parameters: { teacher: parameterCount(teacherModel), student: studentParams },
      sizeBytes: { teacher: artifacts.sizeBytes, student: written.bytes },
      samples: { train: trainIndex.length, heldOut },
      epochs,
      ...(measured ? { accuracy: measured } : {}),
      trainingMs,
    }
  } finally {
    tf.dispose([x, teacherOut, soft, ...(hard ? [hard] : [])])
    optimizer.dispose()
    trainNet.dispose()
    teacher.dispose()
  }
}
