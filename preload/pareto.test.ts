import { describe, expect, it } from 'vitest'
import { isDominated, paretoFront } from './pareto'

describe('paretoFront', () => {
  it('keeps the points no other point beats on both costs, ordered by x', () => {
    const points = [
      { x: 100, y: 1.0 }, // baseline: big, slow-ish
      { x: 30, y: 0.6 }, // small and fast: dominates the next one
      { x: 40, y: 0.7 },
      { x: 60, y: 0.4 }, // fastest
      { x: 20, y: 2.0 }, // smallest
    ]
    expect(paretoFront(points)).toEqual([4, 1, 3])
    expect(isDominated(points, 2)).toBe(true)
    expect(isDominated(points, 0)).toBe(true)
    expect(isDominated(points, 3)).toBe(false)
  })

  it('keeps equal points together and handles one or none', () => {
    expect(paretoFront([{ x: 1, y: 1 }, { x: 1, y: 1 }])).toEqual([0, 1])
    expect(paretoFront([{ x: 5, y: 5 }])).toEqual([0])
    expect(paretoFront([])).toEqual([])
  })
})
