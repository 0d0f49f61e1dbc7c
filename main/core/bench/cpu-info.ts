// The CPU a benchmark ran on and the instruction sets that decide what ONNX Runtime's kernels can use
// (int8 pays off with VNNI or ARM dot-product; bf16/AMX/fp16 paths need their own extensions).
import { readFile } from 'node:fs/promises'
import { arch, cpus, platform } from 'node:os'
import type { CpuDescription } from '../../../preload/api'

/** The flags that matter for ML kernels, in the order they are listed (x86 first, then Arm). */
const relevantFlags = [
  'sse4_1',
  'sse4_2',
  'avx',
  'avx2',
  'fma',
  'f16c',
  'avx512f',
  'avx512bw',
  'avx512vl',
  'avx512_vnni',
  'avx_vnni',
  'avx512_bf16',
  'avx512_fp16',
  'amx_tile',
  'amx_int8',
  'amx_bf16',
  'asimd',
  'asimddp',
  'asimdhp',
  'i8mm',
  'bf16',
  'sve',
  'sve2',
] as const

/** Picks the relevant flags out of /proc/cpuinfo text ("flags" on x86, "Features" on Arm). */
export function instructionSetsFromCpuinfo(text: string): string[] {
  const line = /^(?:flags|Features)\s*:(.*)$/m.exec(text)
  const present = new Set((line?.[1] ?? '').trim().split(/\s+/))
  return relevantFlags.filter((flag) => present.has(flag))
}

export function int8NoteFor(instructionSets: readonly string[]): string {
  const has = (flag: string): boolean => instructionSets.includes(flag)
  if (has('amx_int8')) return 'AMX int8: int8 kernels should be much faster than float32'
  if (has('avx512_vnni') || has('avx_vnni')) return 'VNNI: int8 kernels should beat float32 clearly'
  if (has('asimddp') || has('i8mm')) return 'Arm dot-product: int8 kernels should beat float32'
  if (has('avx2')) return 'AVX2 without VNNI: int8 may gain little over float32'
  return 'no int8 dot-product instructions found: int8 may be no faster than float32'
}

export async function cpuInfo(): Promise<CpuDescription> {
  const cores = cpus()
  let instructionSets: string[] = []
  try {
    instructionSets = instructionSetsFromCpuinfo(await readFile('/proc/cpuinfo', 'utf8'))
  } catch {
    // No /proc outside Linux: the model name and core count still say something.
  }
  return {
    model: cores[0]?.model.trim() || 'unknown CPU',
    logicalCores: cores.length,
    arch: arch(),
    platform: platform(),
    instructionSets,
    int8Note: int8NoteFor(instructionSets),
  }
}
