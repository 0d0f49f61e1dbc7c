import { describe, expect, it } from 'vitest'
import { correctness, countCorrect, discordantCounts, pairedDifferenceInterval, wilsonInterval } from './accuracy-interval'
import { argmaxRows } from './fidelity'
import { seededRandom } from './random-inputs'

describe('wilsonInterval', () => {
  it('matches the textbook interval for 9 of 10', () => {
    const e = wilsonInterval(9, 10)
    expect(e.value).toBe(0.9)
    expect(e.low).toBeCloseTo(0.596, 3)
    expect(e.high).toBeCloseTo(0.982, 3)
  })

  it('stays inside [0, 1] and has width at 0 and n correct', () => {
    expect(wilsonInterval(0, 50).low).toBe(0)
    expect(wilsonInterval(0, 50).high).toBeGreaterThan(0.05)
    expect(wilsonInterval(50, 50).high).toBe(1)
    expect(wilsonInterval(50, 50).low).toBeLessThan(0.95)
  })

  it('covers the true accuracy about 95% of the time', () => {
    const random = seededRandom(11)
    const truth = 0.97
    let covered = 0
    const trials = 2000
    for (let t = 0; t < trials; t++) {
      let k = 0
      for (let i = 0; i < 300; i++) if (random() < truth) k++
      const e = wilsonInterval(k, 300)
      if (e.low <= truth && truth <= e.high) covered++
    }
    expect(covered / trials).toBeGreaterThan(0.93)
    expect(covered / trials).toBeLessThan(0.975)
  })
})

describe('pairedDifferenceInterval', () => {
  it("reproduces Agresti's matched-pairs example (approval ratings, n = 1600)", () => {
    const e = pairedDifferenceInterval({ onlyFirst: 150, onlySecond: 86, samples: 1600 })
    expect(e.value).toBeCloseTo(0.04, 12)
    expect(e.low).toBeCloseTo(0.021, 3)
    expect(e.high).toBeCloseTo(0.059, 3)
  })

  it('keeps a width when the models disagree on no sample', () => {
    const e = pairedDifferenceInterval({ onlyFirst: 0, onlySecond: 0, samples: 2000 })
    expect(e.value).toBe(0)
    expect(e.low).toBeLessThan(0)
    expect(e.high).toBeGreaterThan(0)
    expect(e.high).toBeLessThan(0.002)
  })

  it('is far narrower than two independent intervals when the models mostly agree', () => {
    const paired = pairedDifferenceInterval({ onlyFirst: 12, onlySecond: 4, samples: 2000 })
    const a = wilsonInterval(1960, 2000)
    const b = wilsonInterval(1952, 2000)
    expect(paired.high - paired.low).toBeLessThan((a.high - a.low + b.high - b.low) / 2)
  })

  it('covers the true difference about 95% of the time', () => {
    const random = seededRandom(3)
    // Per sample: both right 0.9, only the first 0.04, only the second 0.02, both wrong 0.04.
    const truth = 0.04 - 0.02
    let covered = 0
    const trials = 2000
    for (let t = 0; t < trials; t++) {
      let onlyFirst = 0
      let onlySecond = 0
      for (let i = 0; i < 500; i++) {
        const u = random()
        if (u < 0.04) onlyFirst++
        else if (u < 0.06) onlySecond++
      }
      const e = pairedDifferenceInterval({ onlyFirst, onlySecond, samples: 500 })
      if (e.low <= truth && truth <= e.high) covered++
    }
    expect(covered / trials).toBeGreaterThan(0.93)
    expect(covered / trials).toBeLessThan(0.975)
  })
})

describe('matched outcomes', () => {
  it('reads top-1 outcomes from class scores against labels', () => {
    const right = correctness(argmaxRows([0.9, 0.1, 0.2, 0.8, 0.6, 0.4], 3), [0n, 1n, 1n])
    expect(Array.from(right)).toEqual([1, 1, 0])
  })

  it('counts the samples only one model gets right', () => {
    const labels = [0n, 1n, 2n, 1n, 0n]
    const first = correctness([0, 1, 2, 0, 1], labels)
    const second = correctness([0, 2, 2, 1, 1], labels)
    expect(countCorrect(first)).toBe(3)
    expect(discordantCounts(first, second)).toEqual({ onlyFirst: 1, onlySecond: 1, samples: 5 })
  })
})
