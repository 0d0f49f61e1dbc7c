// Small pure helpers of the deploy views: a model name a server accepts, and the recipe chain of a version.

/** A name the servers accept ([A-Za-z0-9][A-Za-z0-9._-]*), from a workspace model's display name. */
export function serverModelName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^A-Za-z0-9]+|-+$/g, '')
  return (cleaned || 'model').slice(0, 128)
}

/** "quantize → optimize" from the lineage published with a version; 'as imported' when none. */
export function recipeChain(lineage: unknown): string {
  const chain = (lineage as { chain?: { recipe?: string }[] } | undefined)?.chain
  const recipes = (chain ?? []).map((step) => step.recipe).filter((r): r is string => typeof r === 'string')
  return recipes.length > 0 ? recipes.join(' → ') : 'as imported'
}

export function benchmarkLine(metrics: unknown): string | null {
  const m = metrics as { p50Ms?: number; samplesPerSec?: number; batch?: number } | undefined
  if (!m || typeof m.p50Ms !== 'number') return null
  return `p50 ${m.p50Ms.toFixed(2)} ms at batch ${m.batch ?? 1}${typeof m.samplesPerSec === 'number' ? `, ${Math.round(m.samplesPerSec)} samples/s` : ''}`
}
