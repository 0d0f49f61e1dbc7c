// Pure helpers over the contract's results, for the engine, the CLI and the renderer alike: the stored
// reports of one kind, and the recipe chain published with a version.
import type { PublishedLineage } from './api-publish'
import type { StoredReport, StoredResult } from './api-results'

export type StoredReportOf<K extends StoredReport['kind']> = Extract<StoredReport, { readonly kind: K }>

/** The stored reports of one kind, in the order given (oldest first for listResults). */
export function reportsOf<K extends StoredReport['kind']>(results: readonly StoredResult[], kind: K): StoredReportOf<K>[] {
  return results.map((r) => r.value).filter((value): value is StoredReportOf<K> => value.kind === kind)
}

/** The stored results whose report is of one kind, with their names. */
export function resultsOf<K extends StoredReport['kind']>(results: readonly StoredResult[], kind: K): StoredResult<StoredReportOf<K>>[] {
  return results.filter((r): r is StoredResult<StoredReportOf<K>> => r.value.kind === kind)
}

/** "quantize → optimize" from the lineage published with a version; 'as imported' when it names no recipe. */
export function recipeChain(lineage: PublishedLineage | undefined): string {
  const chain = lineage && 'chain' in lineage ? lineage.chain : []
  const recipes = chain.flatMap((step) => (step.recipe ? [step.recipe] : []))
  return recipes.length > 0 ? recipes.join(' → ') : 'as imported'
}
