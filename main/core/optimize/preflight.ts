// Before quantizing: will int8 pay off on this CPU, and does the model hold anything that stops the
// recipe (already quantized, ops whose quantized form ONNX Runtime cannot run)? Pure functions over the
// CPU's instruction sets (read from /proc/cpuinfo) and the model.
import { readFile } from 'node:fs/promises'
import { instructionSetsFromCpuinfo } from '../bench/cpu-info'
import { holdsFloat16 } from '../onnx/float16'
import { allNodes } from '../onnx/graph-walk'
import type { ModelProto } from '../onnx/onnx-types'

export type RecipeMode = 'dynamic' | 'static' | 'int4' | 'fp16'

/** Ops that mark a model as quantized already: quantizing it again would stack errors, not save more. */
const quantizedOps = new Set([
  'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'QLinearConv', 'QLinearMatMul', 'MatMulInteger',
  'ConvInteger', 'MatMulNBits', 'QGemm', 'QLinearAdd', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'MatMulBnb4',
])

/** Instruction sets that give ONNX Runtime fast int8 dot products. */
const int8Fast = ['avx512_vnni', 'avx_vnni', 'amx_int8', 'asimddp', 'i8mm']

export interface Preflight {
  /** Reasons to stop before any work. */
  readonly errors: readonly string[]
  readonly warnings: readonly string[]
}

export function quantizedOpsIn(model: ModelProto): string[] {
  return [...new Set(allNodes(model).map((n) => n.opType ?? '').filter((op) => quantizedOps.has(op)))]
}

export function preflightChecks(model: ModelProto, mode: RecipeMode, instructionSets: readonly string[] | undefined): Preflight {
  const errors: string[] = []
  const warnings: string[] = []
  const already = quantizedOpsIn(model)
  if (already.length > 0 && mode !== 'fp16')
    errors.push(`the model is already quantized (it holds ${already.join(', ')}); quantize its float original instead`)
  if (already.length > 0 && mode === 'fp16')
    errors.push(`the model is quantized (it holds ${already.join(', ')}); float16 conversion applies to float models`)
  else if (holdsFloat16(model))
    errors.push(
      mode === 'fp16'
        ? 'the model is float16 already (its weights or inputs are float16): there is nothing to convert'
        : `the model computes in float16, and ${mode} quantization starts from float32 weights: quantize its float32 original`,
    )
  if ((mode === 'dynamic' || mode === 'static') && instructionSets && !instructionSets.some((f) => int8Fast.includes(f)))
    warnings.push(
      `this CPU has no int8 dot-product instructions (${int8Fast.join(', ')}): int8 kernels may be no faster than float32 here, or slower; the size still shrinks`,
    )
  const ops = new Set(allNodes(model).map((n) => n.opType))
  if (mode === 'dynamic' && ops.has('Conv'))
    warnings.push('Conv stays float in dynamic mode: ONNX Runtime has no fast int8 ConvInteger on CPU (int8 weights fail to load); static mode quantizes conv nets')
  if (mode === 'fp16')
    warnings.push("ONNX Runtime's CPU kernels compute in float32: a float16 model is half the size on disk, not faster on this CPU")
  if (mode === 'int4' && (ops.has('If') || ops.has('Loop') || ops.has('Scan')))
    warnings.push('ops inside If/Loop/Scan subgraphs stay float')
  return { errors, warnings }
}

/** The CPU's instruction sets from /proc/cpuinfo; undefined where there is none (not Linux). */
export async function cpuInstructionSets(): Promise<string[] | undefined> {
  try {
    return instructionSetsFromCpuinfo(await readFile('/proc/cpuinfo', 'utf8'))
  } catch {
    return undefined
  }
}
