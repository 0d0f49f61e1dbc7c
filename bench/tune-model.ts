// A classifier the tuner never saw during development, made by bench:tune itself: ten Gaussian classes in
// 128 dimensions, and a random-feature MLP (two random ReLU layers of 512, He-initialised, seeded) whose
// readout is fitted by ridge regression on the training split. Returns the model and its data splits.
import { seededRandom } from '../main/core/bench/random-inputs'
import { GraphBuilder, makeValueInfo } from '../main/core/onnx/graph-builder'
import { DataType, type ModelProto } from '../main/core/onnx/onnx-types'

export const INPUT = 128
const HIDDEN = 512
const CLASSES = 10
const RIDGE = 1e-1

export interface Split {
  readonly x: Float32Array
  readonly y: BigInt64Array
  readonly rows: number
}

export interface TrainedModel {
  readonly model: ModelProto
  readonly train: Split
  readonly calib: Split
  readonly evaluation: Split
  /** Top-1 accuracy of the float model on the evaluation split, computed here in float64. */
  readonly accuracy: number
}

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

function makeSplit(rows: number, means: Float64Array, noise: number, normal: () => number, random: () => number): Split {
  const x = new Float32Array(rows * INPUT)
  const y = new BigInt64Array(rows)
  for (let r = 0; r < rows; r++) {
    const c = Math.floor(random() * CLASSES)
    y[r] = BigInt(c)
    for (let i = 0; i < INPUT; i++) x[r * INPUT + i] = (means[c * INPUT + i] as number) + noise * normal()
  }
  return { x, y, rows }
}

/** y = relu(x·W + b) for rows of x; W is [inputs, outputs] row-major. */
function dense(x: Float64Array | Float32Array, rows: number, w: Float32Array, b: Float32Array, inputs: number, outputs: number, relu: boolean): Float64Array {
  const out = new Float64Array(rows * outputs)
  for (let r = 0; r < rows; r++) {
    const o = r * outputs
    for (let j = 0; j < outputs; j++) out[o + j] = b[j] as number
    for (let i = 0; i < inputs; i++) {
      const v = x[r * inputs + i] as number
      if (v === 0) continue
      const row = i * outputs
      for (let j = 0; j < outputs; j++) out[o + j] = (out[o + j] as number) + v * (w[row + j] as number)
    }
    if (relu) for (let j = 0; j < outputs; j++) if ((out[o + j] as number) < 0) out[o + j] = 0
  }
  return out
}

/** Solves A·X = B for symmetric positive definite A [n, n] and B [n, m] (Cholesky, in place on copies). */
function solveSpd(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  const l = Float64Array.from(a)
  for (let j = 0; j < n; j++) {
    let d = l[j * n + j] as number
    for (let k = 0; k < j; k++) d -= (l[j * n + k] as number) ** 2
    const root = Math.sqrt(d)
    l[j * n + j] = root
    for (let i = j + 1; i < n; i++) {
      let s = l[i * n + j] as number
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number)
      l[i * n + j] = s / root
    }
  }
  const x = Float64Array.from(b)
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = x[i * m + c] as number
      for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (x[k * m + c] as number)
      x[i * m + c] = s / (l[i * n + i] as number)
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * m + c] as number
      for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k * m + c] as number)
      x[i * m + c] = s / (l[i * n + i] as number)
    }
  }
  return x
}

function argmaxAccuracy(scores: Float64Array, labels: BigInt64Array, rows: number): number {
  let correct = 0
  for (let r = 0; r < rows; r++) {
    let best = 0
    for (let c = 1; c < CLASSES; c++) if ((scores[r * CLASSES + c] as number) > (scores[r * CLASSES + best] as number)) best = c
    if (BigInt(best) === labels[r]) correct++
  }
  return correct / rows
}

export function trainedClassifier(seed = 2026): TrainedModel {
  const random = seededRandom(seed)
  const normal = gaussian(random)
  const means = Float64Array.from({ length: CLASSES * INPUT }, () => 0.35 * normal())
  const train = makeSplit(3000, means, 1, normal, random)
  const calib = makeSplit(200, means, 1, normal, random)
  const evaluation = makeSplit(1000, means, 1, normal, random)
  const he = (fanIn: number, count: number): Float32Array => Float32Array.from({ length: count }, () => normal() * Math.sqrt(2 / fanIn))
  const w1 = he(INPUT, INPUT * HIDDEN)
  const b1 = new Float32Array(HIDDEN).fill(0.01)
  const w2 = he(HIDDEN, HIDDEN * HIDDEN)
  const b2 = new Float32Array(HIDDEN).fill(0.01)
  const features = (split: Split): Float64Array => {
    const h1 = dense(split.x, split.rows, w1, b1, INPUT, HIDDEN, true)
    return dense(h1, split.rows, w2, b2, HIDDEN, HIDDEN, true)
  }
  // Ridge readout: (HᵀH + λI) W = Hᵀ(Y − 1/C), the bias as the mean target.
  const h = features(train)
  const gram = new Float64Array(HIDDEN * HIDDEN)
  const target = new Float64Array(HIDDEN * CLASSES)
  for (let r = 0; r < train.rows; r++) {
    const row = h.subarray(r * HIDDEN, (r + 1) * HIDDEN)
    const label = Number(train.y[r])
    for (let i = 0; i < HIDDEN; i++) {
      const v = row[i] as number
      if (v === 0) continue
      for (let j = i; j < HIDDEN; j++) gram[i * HIDDEN + j] = (gram[i * HIDDEN + j] as number) + v * (row[j] as number)
      for (let c = 0; c < CLASSES; c++) target[i * CLASSES + c] = (target[i * CLASSES + c] as number) + v * ((c === label ? 1 : 0) - 1 / CLASSES)
    }
  }
  for (let i = 0; i < HIDDEN; i++) {
    gram[i * HIDDEN + i] = (gram[i * HIDDEN + i] as number) + RIDGE * train.rows
    for (let j = 0; j < i; j++) gram[i * HIDDEN + j] = gram[j * HIDDEN + i] as number
  }
  const w3 = Float32Array.from(solveSpd(gram, target, HIDDEN, CLASSES))
  const b3 = new Float32Array(CLASSES).fill(1 / CLASSES)
  const accuracy = argmaxAccuracy(dense(features(evaluation), evaluation.rows, w3, b3, HIDDEN, CLASSES, false), evaluation.y, evaluation.rows)

  const g = new GraphBuilder()
  g.claimName('x')
  g.claimName('logits')
  const layer = (input: string, w: Float32Array, b: Float32Array, inputs: number, outputs: number, name: string, last: boolean): string => {
    const mm = g.node('MatMul', [input, g.initializer(`${name}.weight`, [inputs, outputs], w)], { name: `${name}/MatMul` })
    const add = g.node('Add', [mm, g.initializer(`${name}.bias`, [outputs], b)], { name: `${name}/Add`, ...(last ? { outputs: ['logits'] } : {}) })
    return last ? add : g.node('Relu', [add], { name: `${name}/Relu` })
  }
  const out = layer(layer(layer('x', w1, b1, INPUT, HIDDEN, 'fc1', false), w2, b2, HIDDEN, HIDDEN, 'fc2', false), w3, b3, HIDDEN, CLASSES, 'head', true)
  const model = g.model({
    graphName: 'random_feature_mlp',
    inputs: [makeValueInfo('x', DataType.FLOAT, ['batch', INPUT])],
    outputs: [makeValueInfo(out, DataType.FLOAT, ['batch', CLASSES])],
    opset: 13,
    producerName: 'slipway',
    producerVersion: 'bench:tune',
  })
  return { model, train, calib, evaluation, accuracy }
}
