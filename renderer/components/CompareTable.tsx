// The comparison table: each variant against the baseline (value, delta, ratio with its uncertainty),
// sortable, the winner marked, and variants dominated by their parent (slower, bigger, no more accurate) marked.
import { dominatedIds } from '../../preload/pick-rule'
import { accuracySpread, columns, ratioText } from '../compare/columns'
import type { ModelMetrics } from '../../preload/pick-rule'
import { delta, lowerIsBetter, sortMetrics } from '../compare/metrics'
import { useAppStore } from '../store/store-context'

export function CompareTable({ rows, winnerId }: { rows: readonly ModelMetrics[]; winnerId: string | null }): React.JSX.Element {
  const sort = useAppStore((state) => state.sort)
  const sortBy = useAppStore((state) => state.sortBy)
  const sorted = sort ? sortMetrics(rows, sort.key, sort.direction) : rows
  const baseline = rows.find((r) => r.isBaseline)
  const dominated = dominatedIds(rows)
  const parentName = (row: ModelMetrics): string => rows.find((r) => r.id === row.parentId)?.name ?? 'its parent'
  const arrow = (key: string): string => (sort?.key === key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : '')
  return (
    <div className="table-scroll">
      <table className="table compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>
              <button type="button" className="sort" onClick={() => sortBy('name')}>
                model{arrow('name')}
              </button>
            </th>
            {columns.map((c) => (
              <th key={c.key} className="num" aria-sort={sort?.key === c.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="sort" data-testid={`sort-${c.key}`} onClick={() => sortBy(c.key)}>
                  {c.label}
                  {arrow(c.key)}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr
              key={row.id}
              className={row.id === winnerId ? 'winner' : dominated.has(row.id) ? 'dominated' : ''}
              data-testid="compare-row"
              data-model-name={row.name}
              data-winner={row.id === winnerId}
              data-dominated={dominated.has(row.id)}
            >
              <td>
                <div className="row-name">
                  {row.name}
                  {row.id === winnerId && <span className="badge badge-winner">winner</span>}
                  {dominated.has(row.id) && (
                    <span className="badge badge-dominated" title={`Slower, bigger and no more accurate than ${parentName(row)}`}>
                      dominated
                    </span>
                  )}
                </div>
                <div className="muted small">{row.recipe}</div>
              </td>
              {columns.map((c) => {
                const value = row[c.key]
                const d = delta(value, baseline?.[c.key])
                const r = ratioText(row, baseline, c.key)
                const better = d === undefined || d === 0 ? '' : (d < 0) === lowerIsBetter[c.key] ? 'better' : 'worse'
                const spread = accuracySpread(row, c.key)
                return (
                  <td key={c.key} className="num" data-testid={`cell-${c.key}`} data-value={value}>
                    {value === undefined ? <span className="muted">—</span> : c.format(value)}
                    {value !== undefined && spread?.value && (
                      <>
                        {' '}
                        <span className="muted small" data-testid={`spread-${c.key}`} title="95% interval on these samples">
                          {spread.value}
                        </span>
                      </>
                    )}
                    {!row.isBaseline && d !== undefined && (
                      <span className={`change ${better}`}>
                        {c.formatDelta(d)}
                        {spread?.delta && (
                          <>
                            {' '}
                            <span data-testid={`delta-spread-${c.key}`} title="95% interval of the change, paired per sample">
                              {spread.delta}
                            </span>
                          </>
                        )}
                        {r !== undefined && <span data-testid={`ratio-${c.key}`}> · {r}</span>}
                      </span>
                    )}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
