// Pareto front of points where both coordinates are costs (lower is better): the points no other point
// beats on both at once. Ordered by x, ready to draw as a step line.

export interface Point {
  readonly x: number
  readonly y: number
}

/** Indices of the non-dominated points, sorted by x then y. Ties (equal points) all stay on the front. */
export function paretoFront(points: readonly Point[]): number[] {
  const order = points.map((_, i) => i).sort((a, b) => (points[a] as Point).x - (points[b] as Point).x || (points[a] as Point).y - (points[b] as Point).y)
  const front: number[] = []
  let bestY = Infinity
  let last: Point | undefined
  for (const i of order) {
    const p = points[i] as Point
    if (p.y < bestY || (last !== undefined && p.x === last.x && p.y === last.y)) {
      front.push(i)
      bestY = Math.min(bestY, p.y)
      last = p
    }
  }
  return front
}

/** Whether point i is dominated: another point is no worse on both and better on one. */
export function isDominated(points: readonly Point[], i: number): boolean {
  const p = points[i] as Point
  return points.some((q, j) => j !== i && q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y))
}
