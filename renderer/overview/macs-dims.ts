// Which dims keep the MACs estimate from a number, and the full shapes a tried size makes. The engine takes a
// dynamic leading (batch) dim as 1 for "per sample", so only the other dynamic dims need a size.
import type { InputSpec, TensorInfo } from '../../preload/api'

export interface SizeDim {
  readonly input: string
  readonly index: number
  /** The dim's symbolic name ('?' when anonymous). */
  readonly name: string
  /** A size to start the field with: the model's input spec (Model inputs panel) where it gives one. */
  readonly initial?: number
}

const isBatch = (shape: TensorInfo['shape'], index: number): boolean => index === 0 && shape.length >= 2

export function sizeDims(inputs: readonly TensorInfo[], spec?: InputSpec): SizeDim[] {
  return inputs.flatMap((input) =>
    input.shape.flatMap((dim, index) => {
      if (typeof dim !== 'string' || isBatch(input.shape, index)) return []
      const initial = spec?.shapes?.[input.name]?.[index]
      return [{ input: input.name, index, name: dim, ...(initial === undefined ? {} : { initial }) }]
    }),
  )
}

/** Full shapes for the inputs that have a dim to size: the batch as 1, the given sizes, the fixed dims. */
export function shapesWithSizes(inputs: readonly TensorInfo[], sizes: Readonly<Record<string, number>>): Record<string, number[]> {
  const shapes: Record<string, number[]> = {}
  for (const input of inputs) {
    if (!input.shape.some((d, i) => typeof d === 'string' && !isBatch(input.shape, i))) continue
    shapes[input.name] = input.shape.map((dim, index) => (typeof dim === 'number' ? dim : isBatch(input.shape, index) ? 1 : (sizes[sizeKey(input.name, index)] ?? 0)))
  }
  return shapes
}

export function sizeKey(input: string, index: number): string {
  return `${input}\n${index}`
}
