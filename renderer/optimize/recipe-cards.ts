// The recipe cards of the Optimize tab: what each recipe does in a sentence, its presets (the usual
// choices, one click each) and every option, and the job request its values make.
import type { DataRole, JobRequest, ModelId } from '../../preload/api'

export type FieldValue = string | number | boolean

export interface Field {
  readonly key: string
  readonly label: string
  readonly type: 'number' | 'select' | 'checkbox' | 'list'
  readonly options?: readonly string[]
  readonly min?: number
  readonly max?: number
  readonly step?: number
  readonly help?: string
}

export interface Preset {
  readonly label: string
  readonly hint: string
  readonly values: Readonly<Record<string, FieldValue>>
}

export interface RecipeCard {
  readonly id: string
  readonly title: string
  readonly blurb: string
  /** Data the recipe needs (checked against the model's inputs) or may use. */
  readonly data?: { readonly label: string; readonly required: boolean; readonly role: DataRole }
  readonly fields: readonly Field[]
  readonly presets: readonly Preset[]
  request(modelId: ModelId, values: Readonly<Record<string, FieldValue>>, dataPath: string | null): JobRequest
}

/** "a, b" → ['a', 'b']; empty → undefined (the engine's default). */
export function listValue(value: FieldValue | undefined): string[] | undefined {
  const items = String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return items.length > 0 ? items : undefined
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

const excludeField: Field = { key: 'excludeNodes', label: 'Keep these nodes in float', type: 'list', help: 'Node names, comma separated' }
const firstLastField: Field = { key: 'includeFirstLast', label: 'Prune the first and last layers too', type: 'checkbox', help: 'They are the most sensitive; kept by default' }

export const recipeCards: readonly RecipeCard[] = [
  {
    id: 'static-int8',
    title: 'Static int8',
    blurb: 'Weights and activations in int8, ranges calibrated on your data. Smallest and usually fastest on CPUs with int8 kernels.',
    data: { label: 'Calibration data', required: true, role: 'calibration' },
    fields: [
      { key: 'method', label: 'Calibration method', type: 'select', options: ['minmax', 'percentile', 'entropy'] },
      { key: 'percentile', label: 'Percentile (percentile method)', type: 'number', min: 90, max: 100, step: 0.001 },
      { key: 'samples', label: 'Calibration samples', type: 'number', min: 1, max: 100000, step: 1 },
      { key: 'perChannel', label: 'Per-channel weights', type: 'checkbox' },
      { key: 'errorReport', label: 'Measure per-layer error (SQNR)', type: 'checkbox' },
      excludeField,
    ],
    presets: [
      { label: 'Balanced', hint: 'min-max ranges, per-channel weights, per-layer error report', values: { method: 'minmax', perChannel: true, errorReport: true, samples: 200 } },
      { label: 'Outlier-robust', hint: 'percentile 99.99 ranges: clips rare outliers', values: { method: 'percentile', percentile: 99.99, perChannel: true, errorReport: true, samples: 200 } },
      { label: 'Entropy', hint: 'KL-divergence ranges (TensorRT style)', values: { method: 'entropy', perChannel: true, errorReport: true, samples: 200 } },
    ],
    request: (modelId, v, dataPath) => ({
      kind: 'quantize',
      modelId,
      options: {
        mode: 'static',
        ...optional('calibPath', dataPath ?? undefined),
        method: v.method as 'minmax' | 'percentile' | 'entropy',
        ...optional('percentile', v.method === 'percentile' ? Number(v.percentile) : undefined),
        ...optional('samples', v.samples === undefined || v.samples === '' ? undefined : Number(v.samples)),
        perChannel: Boolean(v.perChannel),
        errorReport: Boolean(v.errorReport),
        ...optional('excludeNodes', listValue(v.excludeNodes)),
      },
    }),
  },
  {
    id: 'dynamic-int8',
    title: 'Dynamic int8',
    blurb: 'Int8 weights, activations quantized on the fly. No data needed; best for MatMul-heavy models (transformers, MLPs).',
    fields: [{ key: 'perChannel', label: 'Per-channel weights', type: 'checkbox' }, { key: 'opTypes', label: 'Op types', type: 'list', help: 'e.g. MatMul, Gemm (default: all it handles)' }, excludeField],
    presets: [
      { label: 'Default', hint: 'per-channel weights, every op it handles', values: { perChannel: true } },
      { label: 'MatMul only', hint: 'leave convolutions in float', values: { perChannel: true, opTypes: 'MatMul, Gemm' } },
    ],
    request: (modelId, v) => ({
      kind: 'quantize',
      modelId,
      options: { mode: 'dynamic', perChannel: Boolean(v.perChannel), ...optional('opTypes', listValue(v.opTypes)), ...optional('excludeNodes', listValue(v.excludeNodes)) },
    }),
  },
  {
    id: 'int4',
    title: 'Int4 weights',
    blurb: 'MatMul weights in 4 bits by blocks (MatMulNBits). For large language-model style MatMuls; convolutions stay float.',
    fields: [
      { key: 'blockSize', label: 'Block size', type: 'select', options: ['32', '64', '128'] },
      { key: 'symmetric', label: 'Symmetric', type: 'checkbox' },
      excludeField,
    ],
    presets: [
      { label: 'Accurate', hint: 'blocks of 32', values: { blockSize: '32', symmetric: true } },
      { label: 'Compact', hint: 'blocks of 128', values: { blockSize: '128', symmetric: true } },
    ],
    request: (modelId, v) => ({
      kind: 'quantize',
      modelId,
      options: { mode: 'int4', blockSize: Number(v.blockSize) as 32 | 64 | 128, symmetric: Boolean(v.symmetric), ...optional('excludeNodes', listValue(v.excludeNodes)) },
    }),
  },
  {
    id: 'fp16',
    title: 'Float16',
    blurb: 'Half the size with little accuracy change. Faster on GPUs; on CPUs often not faster.',
    fields: [{ key: 'keepIoTypes', label: 'Keep float32 inputs and outputs', type: 'checkbox' }],
    presets: [
      { label: 'Drop-in', hint: 'float32 inputs and outputs kept', values: { keepIoTypes: true } },
      { label: 'All float16', hint: 'inputs and outputs become float16', values: { keepIoTypes: false } },
    ],
    request: (modelId, v) => ({ kind: 'recipe', modelId, recipe: { name: 'fp16', steps: [{ step: 'fp16', options: { keepIoTypes: Boolean(v.keepIoTypes) } }] } }),
  },
  {
    id: 'structured-prune',
    title: 'Structured prune',
    blurb: 'Removes whole channels: a smaller dense model that runs faster everywhere. Costs accuracy; compare before you ship.',
    fields: [
      { key: 'ratio', label: 'Share of channels removed', type: 'number', min: 0, max: 0.95, step: 0.05 },
      { key: 'criterion', label: 'Channel importance', type: 'select', options: ['l1', 'l2'] },
      firstLastField,
      excludeField,
    ],
    presets: [
      { label: 'Light (25%)', hint: 'a quarter of the channels', values: { ratio: 0.25, criterion: 'l1' } },
      { label: 'Strong (50%)', hint: 'half of the channels', values: { ratio: 0.5, criterion: 'l1' } },
    ],
    request: (modelId, v) => ({
      kind: 'prune',
      modelId,
      options: {
        method: 'structured',
        ratio: Number(v.ratio),
        criterion: v.criterion as 'l1' | 'l2',
        includeFirstLast: Boolean(v.includeFirstLast),
        ...optional('excludeNodes', listValue(v.excludeNodes)),
      },
    }),
  },
  {
    id: 'magnitude-prune',
    title: 'Magnitude prune',
    blurb: 'Sets the smallest weights to zero. Same speed, compresses better (zip); a step before sparse runtimes.',
    fields: [
      { key: 'sparsity', label: 'Sparsity', type: 'number', min: 0, max: 0.99, step: 0.05 },
      { key: 'scope', label: 'Threshold', type: 'select', options: ['global', 'layer'] },
      firstLastField,
      excludeField,
    ],
    presets: [
      { label: '50% sparse', hint: 'one global threshold', values: { sparsity: 0.5, scope: 'global' } },
      { label: '80% sparse', hint: 'one global threshold', values: { sparsity: 0.8, scope: 'global' } },
    ],
    request: (modelId, v) => ({
      kind: 'prune',
      modelId,
      options: {
        method: 'magnitude',
        sparsity: Number(v.sparsity),
        scope: v.scope as 'global' | 'layer',
        includeFirstLast: Boolean(v.includeFirstLast),
        ...optional('excludeNodes', listValue(v.excludeNodes)),
      },
    }),
  },
  {
    id: 'ort-optimize',
    title: 'Graph optimize',
    blurb: "ONNX Runtime's offline graph fusions (Conv+BN, GELU, attention…). 'all' bakes in layouts for this very CPU.",
    fields: [{ key: 'level', label: 'Level', type: 'select', options: ['basic', 'extended', 'all'] }],
    presets: [
      { label: 'Portable', hint: 'extended fusions, runs on any CPU', values: { level: 'extended' } },
      { label: 'This CPU', hint: 'all, layouts for this machine', values: { level: 'all' } },
    ],
    request: (modelId, v) => ({ kind: 'optimize', modelId, options: { level: v.level as 'basic' | 'extended' | 'all' } }),
  },
]

/** Recipes for TF.js models: the converter's weight quantization, pruning, and conversion to ONNX. */
export const tfjsCards: readonly RecipeCard[] = [
  {
    id: 'tfjs-convert',
    title: 'Convert to ONNX',
    blurb: 'An ONNX copy of this layers model (checked against TF.js): every ONNX recipe and the server take it.',
    fields: [],
    presets: [{ label: 'Convert', hint: 'NCHW trunk, verified against TF.js outputs', values: {} }],
    request: (modelId) => ({ kind: 'tfjs-convert', modelId, options: { to: 'onnx' } }),
  },
  {
    id: 'tfjs-quantize',
    title: 'Weight quantization',
    blurb: 'Smaller download only: TF.js turns the weights back into float32 when it loads them, so it runs no faster.',
    fields: [{ key: 'mode', label: 'Weights', type: 'select', options: ['uint8', 'uint16', 'float16'] }],
    presets: [
      { label: 'float16', hint: 'half size, safest', values: { mode: 'float16' } },
      { label: 'uint8', hint: 'quarter size, check accuracy', values: { mode: 'uint8' } },
    ],
    request: (modelId, v) => ({ kind: 'tfjs-quantize', modelId, options: { mode: v.mode as 'uint8' | 'uint16' | 'float16' } }),
  },
  {
    id: 'tfjs-prune',
    title: 'Magnitude prune',
    blurb: 'Zeroes the smallest kernel weights: the shards compress better, the model runs at the same speed.',
    fields: [
      { key: 'sparsity', label: 'Sparsity', type: 'number', min: 0, max: 0.99, step: 0.05 },
      { key: 'scope', label: 'Threshold', type: 'select', options: ['global', 'layer'] },
      firstLastField,
    ],
    presets: [{ label: '50% sparse', hint: 'one global threshold', values: { sparsity: 0.5, scope: 'global' } }],
    request: (modelId, v) => ({
      kind: 'tfjs-prune',
      modelId,
      options: { sparsity: Number(v.sparsity), scope: v.scope as 'global' | 'layer', includeFirstLast: Boolean(v.includeFirstLast) },
    }),
  },
]
