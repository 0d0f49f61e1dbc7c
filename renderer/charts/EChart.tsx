// A maintained chart library (Apache ECharts, tree-shaken) behind one small component: give it an option.
import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart, BoxplotChart, LineChart, ScatterChart } from 'echarts/charts'
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'
import type { ChartTheme } from '../compare/chart-options'

echarts.use([
  BarChart,
  BoxplotChart,
  LineChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  SVGRenderer,
])

export type ChartOption = echarts.EChartsCoreOption

interface Props {
  readonly option: ChartOption
  readonly height: number
  readonly testId?: string
}

export function EChart({ option, height, testId }: Props): React.JSX.Element {
  const element = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)

  useEffect(() => {
    if (!element.current) return undefined
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' })
    chart.current = instance
    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(element.current)
    return () => {
      observer.disconnect()
      instance.dispose()
      chart.current = null
    }
  }, [])

  const drawn = useRef('')
  useEffect(() => {
    // The same numbers again (stored results replacing live ones) are not drawn again.
    const key = JSON.stringify(option)
    if (key === drawn.current) return
    drawn.current = key
    // Drawn on the next frame, apart from React's commit, so neither makes one long task with the other.
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true })
  }, [option])

  return <div ref={element} style={{ height, width: '100%' }} data-testid={testId} />
}

/** Colors of the current theme, read from the CSS variables, for chart text and lines. */
export function chartColors(): { text: string; muted: string; grid: string; accent: string } {
  const style = getComputedStyle(document.documentElement)
  const read = (name: string): string => style.getPropertyValue(name).trim()
  return { text: read('--text'), muted: read('--text-muted'), grid: read('--border'), accent: read('--accent') }
}

/** The chart theme of the window (light or dark, from the CSS variables). */
export function appChartTheme(): ChartTheme {
  const colors = chartColors()
  return { ...colors, winner: getComputedStyle(document.documentElement).getPropertyValue('--warn').trim() || '#d97706', font: 'inherit' }
}

/** The chart as an SVG string (ECharts' server-side mode, no DOM), for self-contained reports. */
export function renderChartSvg(option: ChartOption, width: number, height: number): string {
  const chart = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption(option)
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}
