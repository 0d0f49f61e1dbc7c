import { useMemo } from 'react'
import { chartColors, EChart, type ChartOption } from '../charts/EChart'

export function OpHistogramChart({ histogram }: { histogram: Readonly<Record<string, number>> }): React.JSX.Element {
  const entries = useMemo(() => Object.entries(histogram).sort((a, b) => a[1] - b[1]), [histogram])
  const option = useMemo<ChartOption>(() => {
    const colors = chartColors()
    return {
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.grid } } },
      yAxis: {
        type: 'category',
        data: entries.map(([op]) => op),
        axisLabel: { color: colors.text, fontFamily: 'ui-monospace, monospace' },
        axisLine: { lineStyle: { color: colors.grid } },
      },
      series: [
        {
          type: 'bar',
          data: entries.map(([, count]) => count),
          itemStyle: { color: colors.accent, borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: 'right', color: colors.muted },
          barMaxWidth: 18,
        },
      ],
    }
  }, [entries])
  return (
    <div data-testid="op-histogram" data-ops={entries.length}>
      <EChart option={option} height={Math.max(120, entries.length * 24 + 24)} />
    </div>
  )
}
