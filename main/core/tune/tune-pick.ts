// The tuner's verdict: the pick rule and the Pareto front the Compare tab uses, over the same rows
// (preload/: pure modules), applied to the candidates that meet the constraint; no second rule here.
import type { ModelId, TuneObjective, TuneReport } from '../../../preload/api'
import { paretoFront } from '../../../preload/pareto'
import { pickVariant, qualityDrop, type Objective } from '../../../preload/pick-rule'
import { tuneRows } from '../../../preload/tune-rows'
import type { Constraint } from './tune-plan'

const ruleObjective: Readonly<Record<TuneObjective, Objective>> = { latency: 'p50Ms', size: 'sizeBytes', throughput: 'throughput' }

export interface TunePick {
  readonly recommended: ModelId | null
  readonly reason: string
  /** Model ids on the front of latency against quality drop, the baseline included. */
  readonly front: readonly ModelId[]
}

export function pickRecommended(search: Pick<TuneReport, 'modelId' | 'model' | 'baseline' | 'candidates'>, constraint: Constraint, objective: TuneObjective): TunePick {
  const rows = tuneRows(search)
  const points = rows.flatMap((row) => {
    const drop = qualityDrop(row)
    return drop === undefined || row.p50Ms === undefined ? [] : [{ id: row.id, x: drop, y: row.p50Ms }]
  })
  const front = paretoFront(points).map((i) => points[i]?.id as ModelId)
  // The constraint (which may be a fidelity) decides who may win; the rule then ranks them on the objective.
  const meets = new Set(search.candidates.filter((c) => c.meets === true).map((c) => c.modelId))
  const eligible = rows.filter((row) => row.isBaseline || meets.has(row.id))
  const pick = pickVariant(eligible, { objective: ruleObjective[objective], maxAccuracyDrop: constraint.maxAccuracyDrop ?? null, maxSizeBytes: null })
  // Tied models that are equally small and accurate are equally good picks: the tuner recommends the best
  // on the objective among them (the rule's order) rather than nothing, and says they are tied.
  if (pick.verdict === 'no-difference' && pick.tiedIds[0] !== undefined)
    return { recommended: pick.tiedIds[0], reason: `${pick.reason}; recommending the first of them`, front }
  return { recommended: pick.winnerId, reason: pick.reason, front }
}
