// Running statistics of a float tensor over calibration batches: its min and max (pass one), then a
// histogram of |x| over [0, max |x|] (pass two) for the percentile and entropy methods.

export class RangeAccumulator {
  min = Number.POSITIVE_INFINITY
  max = Number.NEGATIVE_INFINITY

  add(data: Float32Array): void {
    let lo = this.min
    let hi = this.max
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    this.min = lo
    this.max = hi
  }

  get absMax(): number {
    return Math.max(Math.abs(this.min), Math.abs(this.max))
  }
}

export const HISTOGRAM_BINS = 2048

export class AbsHistogram {
  readonly counts: Float64Array
  readonly binWidth: number

  constructor(
    readonly limit: number,
    bins = HISTOGRAM_BINS,
  ) {
    this.counts = new Float64Array(bins)
    this.binWidth = limit > 0 ? limit / bins : 1
  }

  add(data: Float32Array): void {
    const last = this.counts.length - 1
    const inv = 1 / this.binWidth
    for (let i = 0; i < data.length; i++) {
      const bin = Math.floor(Math.abs(data[i] as number) * inv)
      this.counts[bin > last ? last : bin]! += 1
    }
  }
}
