// The contract's recipes: the options of every recipe (ONNX and TF.js), the summaries they report, and the
// lineage a variant keeps (a discriminated union on the recipe, so a reader knows what the summary holds).
// Types only.
import type { ModelId } from './api-models'

/** TF.js weight quantization as tensorflowjs_converter writes it; TF.js dequantizes at load (smaller download only). */
export interface TfjsQuantizeOptions {
  readonly mode: 'uint8' | 'uint16' | 'float16'
}

/** TF.js magnitude pruning of convolution and dense kernels. */
export interface TfjsPruneOptions {
  /** Fraction of the kernel weights set to zero, in [0, 1). */
  readonly sparsity: number
  readonly scope?: 'global' | 'layer'
  readonly includeFirstLast?: boolean
  readonly excludeLayers?: readonly string[]
}

/** Distillation of a TF.js layers-model into a narrower student of the same architecture. */
export interface TfjsDistillOptions {
  /** .npy of inputs on the engine's machine, [N, ...input shape]. */
  readonly dataPath: string
  /** .npy of integer class labels [N]. */
  readonly labelsPath?: string
  /** Filters and hidden units scale (default 0.5). */
  readonly width?: number
  readonly epochs?: number
  readonly temperature?: number
  /** Weight of the soft-label loss (default 0.7); the hard labels get the rest. */
  readonly alpha?: number
  readonly batchSize?: number
  readonly learningRate?: number
}

/** TF.js layers-model → ONNX (so the ONNX recipes and Triton/KServe can take it). */
export interface TfjsConvertOptions {
  readonly to: 'onnx'
}

/** Which nodes a rewrite touches (quantization, float16): op types to take (default: every type it handles), nodes to leave. */
export interface NodeSelection {
  readonly opTypes?: readonly string[]
  readonly excludeNodes?: readonly string[]
}

/** Quantization: the options of `slipway quantize`, the quantize job and a recipe file's quantize step alike. */
export interface QuantizeOptions extends NodeSelection {
  readonly mode: 'dynamic' | 'static' | 'int4'
  /** Static: calibration data (.npy, .npz or test_data_set folder) on the engine's machine. */
  readonly calibPath?: string
  readonly method?: 'minmax' | 'percentile' | 'entropy'
  /** Percentile calibration: the share of values the range covers (default 99.999). */
  readonly percentile?: number
  readonly perChannel?: boolean
  readonly samples?: number
  readonly blockSize?: 32 | 64 | 128
  readonly symmetric?: boolean
  /** Static: measure each quantized activation's SQNR against float and suggest nodes to exclude. */
  readonly errorReport?: boolean
}

/** float32 → float16: the options of a recipe file's fp16 step and of the convert job alike. */
export interface Fp16Options extends NodeSelection {
  /** Keep float32 inputs and outputs (Casts inside); otherwise they become float16. */
  readonly keepIoTypes?: boolean
  /** Data to compare the outputs on (random inputs otherwise). */
  readonly dataPath?: string
}

/** Precision conversion (`slipway convert`, the convert job): float16 is the one target. */
export interface ConvertOptions extends Fp16Options {
  readonly to: 'fp16'
}

/** A node a recipe left as it was, and why. */
export interface LeftAsIs {
  readonly node: string
  readonly op: string
  readonly reason: string
}

/** One quantized activation's error: SQNR in dB of the quantized model's tensor against float. */
export interface TensorError {
  readonly tensor: string
  /** The node that produces it. */
  readonly node: string
  readonly op: string
  /** Quantized model vs float model at this tensor (errors accumulated from the input on). */
  readonly sqnrDb: number
  /** This tensor alone quantized and dequantized (its own rounding and clipping). */
  readonly qdqSqnrDb: number
}

/** What a quantize or convert run did, for the CLI's --json, the job result and the variant's lineage. */
export interface RecipeSummary {
  readonly recipe: string
  readonly parentBytes: number
  readonly outputBytes: number
  readonly sizeRatio: number
  /** Node count by op type of what was converted (quantized, or turned float16). */
  readonly converted: Readonly<Record<string, number>>
  readonly leftAsIs: readonly LeftAsIs[]
  readonly warnings: readonly string[]
  /** What the recipe did beyond converting ops, worth knowing when reading the graph. */
  readonly notes?: readonly string[]
  readonly durationMs: number
  readonly validation: {
    readonly rows: number
    readonly inputs: 'given data' | 'random data'
    readonly outputs: readonly { readonly name: string; readonly sqnrDb: number; readonly maxAbsDiff: number; readonly top1Agreement?: number }[]
  }
  /** Static with errorReport: activations, worst first. */
  readonly errorReport?: readonly TensorError[]
  /** Nodes worth keeping float (--exclude-nodes), from the error report. */
  readonly suggestedExclusions?: readonly string[]
}

/** Pruning: weights set to zero (magnitude), or whole channels removed (structured, smaller and faster). */
export type PruneOptions =
  | {
      readonly method: 'magnitude'
      /** Fraction of the weights set to zero, in [0, 1). */
      readonly sparsity: number
      /** 'global': one threshold across layers; 'layer': each layer reaches the sparsity. */
      readonly scope?: 'global' | 'layer'
      readonly excludeNodes?: readonly string[]
      /** Inputs (.npy, .npz, .pb, test_data_set folder) the result is compared with the parent on; random data otherwise. */
      readonly dataPath?: string
      /** Prune the first and last layers too (kept by default: they are the most sensitive). */
      readonly includeFirstLast?: boolean
    }
  | {
      readonly method: 'structured'
      /** Fraction of each layer's output channels removed, in [0, 1). */
      readonly ratio: number
      readonly criterion?: 'l1' | 'l2'
      /** Kept channels of layers with 4+ blocks are rounded to multiples of this (default 16, for ONNX Runtime's blocked kernels; 1: exact). */
      readonly channelMultiple?: number
      readonly excludeNodes?: readonly string[]
      readonly dataPath?: string
      readonly includeFirstLast?: boolean
    }

/** ONNX Runtime's offline graph optimization; 'all' bakes in layouts for this very CPU. */
export interface GraphOptimizeOptions {
  readonly level: 'basic' | 'extended' | 'all'
  /** Inputs the result is compared with the parent on; random data otherwise. */
  readonly dataPath?: string
}

/** One step of a recipe; each step's output is the next step's parent. */
export type RecipeStep =
  | { readonly step: 'prune'; readonly options: PruneOptions }
  | { readonly step: 'optimize'; readonly options: GraphOptimizeOptions }
  | { readonly step: 'quantize'; readonly options: QuantizeOptions }
  | { readonly step: 'fp16'; readonly options?: Fp16Options }

/** A recipe file (JSON): steps run in order, each output committed as a variant with its lineage. */
export interface Recipe {
  readonly name?: string
  readonly steps: readonly RecipeStep[]
}

/** One output of a recipe's result against its parent's, on the same inputs. */
export interface OutputComparison {
  readonly name: string
  /** SQNR of the variant's output against the parent's, in dB (higher is closer). */
  readonly sqnrDb: number
  readonly maxAbsDiff: number
  /** Share of rows whose arg-max agrees, for [rows, classes] outputs. */
  readonly top1Agreement?: number
}

/** How a recipe's output was checked: loaded in the runtime and run on data beside its parent. */
export interface Validation {
  readonly loads: true
  readonly rows: number
  readonly inputs: 'given data' | 'random data'
  readonly outputs: readonly OutputComparison[]
}

export type PruneScope = 'global' | 'layer'
export type Criterion = 'l1' | 'l2'

export interface MagnitudeLayer {
  readonly node: string
  readonly opType: string
  readonly weights: number
  /** Zeros after pruning over the weight count (zeros already there count too). */
  readonly sparsity: number
  /** Why the layer was left as it was. */
  readonly kept?: string
}

export interface MagnitudePruneSummary {
  readonly method: 'magnitude'
  readonly scope: PruneScope
  readonly targetSparsity: number
  /** Zeros over the weights of the pruned layers. */
  readonly achievedSparsity: number
  readonly layers: readonly MagnitudeLayer[]
}

export interface StructuredLayer {
  readonly node: string
  readonly opType: string
  readonly channelsBefore: number
  readonly channelsAfter: number
  /** Layers that share a group lose the same channels (residual connections tie them). */
  readonly group: number
}

export interface IntactGroup {
  readonly nodes: readonly string[]
  readonly reasons: readonly string[]
}

export interface StructuredPruneSummary {
  readonly method: 'structured'
  readonly ratio: number
  readonly criterion: Criterion
  readonly channelMultiple: number
  readonly layers: readonly StructuredLayer[]
  readonly intact: readonly IntactGroup[]
  readonly parametersBefore: number
  readonly parametersAfter: number
}

export interface SizeFacts {
  readonly parentBytes: number
  readonly bytes: number
  readonly parentGzipBytes: number
  readonly gzipBytes: number
}

/** What a prune step did (magnitude or structured), how it was checked, and its sizes. */
export interface PruneModelResult {
  readonly summary: MagnitudePruneSummary | StructuredPruneSummary
  readonly validation: Validation
  readonly sizes: SizeFacts
  /** What the result buys and what it does not, in plain words. */
  readonly notes: readonly string[]
}

/** What ONNX Runtime's offline optimization did. */
export interface OrtOptimizeResult {
  readonly level: GraphOptimizeOptions['level']
  readonly nodesBefore: number
  readonly nodesAfter: number
  /** Operator histograms (domain-qualified when not ai.onnx). */
  readonly opsBefore: Readonly<Record<string, number>>
  readonly opsAfter: Readonly<Record<string, number>>
  readonly bytesBefore: number
  readonly bytesAfter: number
  /** Session creation with ONNX Runtime's default options, parent vs result: medians of alternating runs. */
  readonly sessionCreateMs: { readonly parent: number; readonly optimized: number }
  readonly validation: Validation
  readonly notes: readonly string[]
}

export type TfjsFormat = 'tfjs-layers' | 'tfjs-graph'

export interface TfjsQuantizeSummary {
  readonly format: TfjsFormat
  readonly mode: TfjsQuantizeOptions['mode']
  readonly modelPath: string
  readonly files: readonly string[]
  readonly weightsQuantized: number
  /** Weights left as they were (int32 and other non-float tensors). */
  readonly weightsKept: number
  readonly sizeBytes: { readonly before: number; readonly after: number }
  readonly weightBytes: { readonly before: number; readonly after: number }
  /** Outputs against the original on seeded uniform [0,1) inputs, loaded with TF.js's own loaders. */
  readonly validation: Validation
  readonly backend: string
  readonly note: string
}

export interface TfjsPruneResult {
  readonly format: TfjsFormat
  readonly modelPath: string
  readonly files: readonly string[]
  readonly summary: MagnitudePruneSummary
  readonly sizes: SizeFacts
  readonly validation: Validation
  readonly backend: string
  readonly notes: readonly string[]
}

export interface TfjsDistillSummary {
  readonly modelPath: string
  readonly files: readonly string[]
  readonly backend: string
  readonly width: number
  readonly changes: readonly string[]
  readonly parameters: { readonly teacher: number; readonly student: number }
  readonly sizeBytes: { readonly teacher: number; readonly student: number }
  readonly samples: { readonly train: number; readonly heldOut: number }
  readonly epochs: readonly { readonly epoch: number; readonly loss: number; readonly heldOutAccuracy?: number }[]
  /** Top-1 on the held-out samples (labels given), the student measured after reloading it. */
  readonly accuracy?: { readonly teacher: number; readonly student: number }
  readonly trainingMs: number
}

export interface TfjsToOnnxSummary {
  readonly outPath: string
  readonly sizeBytes: number
  readonly opset: number
  readonly layerCount: number
  readonly nodeCount: number
  /** Layout changes the graph needs (NHWC input into NCHW convolutions, back before Flatten/outputs). */
  readonly transposes: number
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  /** Largest difference between ONNX Runtime's and TF.js's outputs on seeded uniform [0,1) inputs. */
  readonly maxAbsDiff: number
  readonly comparedSamples: number
  readonly tfjsBackend: string
  readonly onnxRuntime: string
  readonly note: string
}

/** Where a step of a recipe file sits: the recipe's name and the step's index (absent for single-step jobs). */
export interface RecipeFileParams {
  readonly recipeName?: string
  readonly stepIndex?: number
}

/**
 * What a recipe did to make a variant from its parent: the recipe (the discriminant, as stored in
 * entry.json), its parameters, and its summary (what was changed, what was left and why).
 */
export type RecipeApplied =
  | { readonly recipe: 'quantize dynamic' | 'quantize static' | 'quantize int4'; readonly params: QuantizeOptions; readonly summary: RecipeSummary }
  | { readonly recipe: 'quantize'; readonly params: QuantizeOptions & RecipeFileParams; readonly summary: RecipeSummary }
  | { readonly recipe: 'fp16'; readonly params: Fp16Options & RecipeFileParams; readonly summary: RecipeSummary }
  | { readonly recipe: 'prune'; readonly params: PruneOptions & RecipeFileParams; readonly summary: PruneModelResult }
  | { readonly recipe: 'optimize'; readonly params: GraphOptimizeOptions & RecipeFileParams; readonly summary: OrtOptimizeResult }
  | { readonly recipe: `tfjs-quantize-${TfjsQuantizeOptions['mode']}`; readonly params: TfjsQuantizeOptions; readonly summary: TfjsQuantizeSummary }
  | { readonly recipe: 'tfjs-prune'; readonly params: TfjsPruneOptions; readonly summary: TfjsPruneResult }
  | { readonly recipe: 'tfjs-distill'; readonly params: TfjsDistillOptions; readonly summary: TfjsDistillSummary }
  | { readonly recipe: 'tfjs-to-onnx'; readonly params: TfjsConvertOptions; readonly summary: TfjsToOnnxSummary }

/**
 * What one step did: its recipe is the step's name, except that a quantize step run on its own (the quantize
 * job) names its mode too, as its lineage always has.
 */
export type StepApplied = Extract<RecipeApplied, { readonly recipe: RecipeStep['step'] | `quantize ${QuantizeOptions['mode']}` }>

/** How a variant was made from its parent. */
export type LineageStep = RecipeApplied & {
  readonly parentId: ModelId
  readonly createdAt: string
  readonly durationMs: number
}

export type RecipeName = RecipeApplied['recipe']
