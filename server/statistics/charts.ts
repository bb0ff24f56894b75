// Charts drawn on the server as SVG with Apache ECharts' server-side renderer, so that they
// show without JavaScript, in screenshots and exports, and stay crisp on a phone. The page's
// content-security policy allows no inline styles: ECharts writes its fonts as `style="…"`
// attributes and its hover effects as a <style> element, so the SVG is rewritten with the
// fonts as presentation attributes (font-size="13px") and without the hover rules (there is
// no pointer to hover with in a static picture anyway). Each chart carries a <title> and a
// <desc> (its text alternative, the figures in words) and is role="img"; the page also shows
// the same figures as a table.
//
// Rendering costs a few milliseconds a chart; the same figures give the same SVG, so the last
// few hundred are kept (the aggregates change only when the worker rebuilds them).
import { createHash } from 'node:crypto'
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'
import { grouped, money } from './numbers.js'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer])

export interface ChartSeries {
  name: string
  /** Its own colour where the meaning asks for one (red for what is at risk); else the palette's. */
  color?: string
  /** One value per category; null where a figure is not shown (suppressed). */
  values: Array<number | null>
}

export interface ChartSpec {
  /** Unique on the page: the SVG's title and description take their ids from it. */
  id: string
  title: string
  kind: 'bar' | 'line'
  /** Bars drawn sideways, one row per category: long Chinese names fit on a phone. */
  horizontal?: boolean
  stacked?: boolean
  categories: string[]
  series: ChartSeries[]
  /** What the numbers count: '人', '户', '元', '个', '%'. */
  unit: string
}

export interface RenderedChart {
  id: string
  title: string
  /** The SVG markup, safe to put inline (no style attributes, no script). */
  svg: string
  /** The chart in words: its text alternative. */
  description: string
}

const PALETTE = ['#b7410e', '#1d4ed8', '#17663a', '#8a5a00', '#6d28d9', '#0e7490', '#be185d', '#52606d']
const FONT = 'Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif'
/** Drawn about as wide as a phone shows it (a 375 px screen leaves ~310 px), so its text stays ~12 px there. */
const WIDTH = 340

/** The presentation attributes a style declaration may become (everything ECharts writes for text). */
const PRESENTATION = new Set(['font-size', 'font-family', 'font-weight', 'font-style', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'opacity', 'text-decoration', 'white-space'])

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * ECharts' SVG made fit for a page whose policy forbids inline styles: style attributes become
 * presentation attributes, the hover <style> and ECharts' own bookkeeping attributes go, and
 * the picture is named for assistive technology.
 */
export function sanitiseSvg (svg: string, id: string, title: string, description: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_match, declarations: string) => declarations.split(';').map(d => d.trim()).filter(Boolean).map(d => {
      const colon = d.indexOf(':')
      const name = d.slice(0, colon).trim()
      const value = d.slice(colon + 1).trim().replace(/"/g, '&quot;')
      return PRESENTATION.has(name) ? ` ${name}="${value}"` : ''
    }).join(''))
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/<svg /, `<svg role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false" class="chart-svg" `)
    .replace(/(<svg[^>]*>)/, `$1<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`)
}

const format = (value: number | null, unit: string) => value === null ? '不公开' : `${unit === '元' ? money(value) : grouped(value)}${unit}`

/** The figures in words: every value of every series, or the largest and the total when there are many. */
export function describe (spec: ChartSpec): string {
  const parts = spec.series.map(series => {
    const named = spec.categories.map((category, i) => ({ category, value: series.values[i] ?? null }))
    const prefix = spec.series.length > 1 ? `${series.name}：` : ''
    if (named.length <= 24) return prefix + named.map(({ category, value }) => `${category} ${format(value, spec.unit)}`).join('，')
    const shown = named.filter(v => v.value !== null) as Array<{ category: string, value: number }>
    const top = [...shown].sort((a, b) => b.value - a.value)[0]
    const total = shown.reduce((a, v) => a + v.value, 0)
    return `${prefix}共 ${named.length} 项，合计 ${format(total, spec.unit)}${top ? `，最多的是${top.category} ${format(top.value, spec.unit)}` : ''}`
  })
  if (spec.categories.length === 0 || spec.series.length === 0) return `${spec.title}：暂无数据。`
  return `${spec.title}（${spec.kind === 'line' ? '折线图' : '柱状图'}）。${parts.join('；')}。`
}

/** Lines the legend takes at the chart's width (Chinese characters ~13 px, a swatch and gap ~30 px). */
function legendLines (spec: ChartSpec): number {
  if (spec.series.length <= 1) return 0
  let lines = 1
  let used = 0
  for (const series of spec.series) {
    const width = [...series.name].length * 13 + 30
    if (used + width > WIDTH - 8 && used > 0) { lines++; used = 0 }
    used += width
  }
  return lines
}

/** Money on an axis the way it is said: 5万, 120万. */
const yuanAxis = (value: number) => Math.abs(value) >= 10_000 ? `${Number((value / 10_000).toFixed(1))}万` : String(value)

function option (spec: ChartSpec) {
  const legend = spec.series.length > 1
  const categoryAxis = { type: 'category' as const, data: spec.categories, axisLabel: { fontSize: 13, color: '#3e4c59', interval: 0, hideOverlap: !spec.horizontal, rotate: !spec.horizontal && spec.categories.length > 6 ? 40 : 0 }, axisTick: { show: false }, axisLine: { lineStyle: { color: '#8795a1' } }, inverse: spec.horizontal === true }
  const valueAxis = { type: 'value' as const, max: spec.unit === '%' && spec.stacked ? 100 : undefined, minInterval: spec.unit === '元' ? undefined : 1, axisLabel: { fontSize: 12, color: '#52606d', formatter: spec.unit === '元' ? yuanAxis : spec.unit === '%' ? '{value}%' : undefined }, splitLine: { lineStyle: { color: '#e4e7eb' } } }
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: FONT, fontSize: 13 },
    legend: legend ? { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 13, color: '#1f2933' } } : undefined,
    grid: { left: 4, right: spec.horizontal ? 40 : 12, top: legend ? legendLines(spec) * 22 + 12 : 12, bottom: 4 },
    xAxis: spec.horizontal ? valueAxis : categoryAxis,
    yAxis: spec.horizontal ? categoryAxis : valueAxis,
    series: spec.series.map(series => ({
      name: series.name,
      type: spec.kind,
      itemStyle: series.color ? { color: series.color } : undefined,
      lineStyle: series.color ? { color: series.color } : undefined,
      data: series.values,
      stack: spec.stacked ? 'total' : undefined,
      barMaxWidth: 28,
      silent: true,
      emphasis: { disabled: true },
      symbolSize: 6,
      connectNulls: false,
      // Values at the bars' ends when there is one series; the table has them all anyway.
      label: { show: spec.series.length === 1 && spec.kind === 'bar', position: spec.horizontal ? 'right' : 'top', fontSize: 13, color: '#1f2933' }
    }))
  }
}

const cache = new Map<string, RenderedChart>()
const CACHE_SIZE = 400

/** The chart's SVG, its title and description (from the cache when the same figures were drawn before). */
export function renderChart (spec: ChartSpec): RenderedChart {
  const key = createHash('sha1').update(JSON.stringify(spec)).digest('base64url')
  let rendered = cache.get(key)
  if (rendered === undefined) {
    const description = describe(spec)
    const rows = Math.max(1, spec.categories.length)
    const height = spec.horizontal ? 40 + legendLines(spec) * 22 + rows * (spec.stacked || spec.series.length === 1 ? 32 : 18 * spec.series.length + 10) : 240 + legendLines(spec) * 22
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height })
    try {
      chart.setOption(option(spec))
      rendered = { id: spec.id, title: spec.title, svg: sanitiseSvg(chart.renderToSVGString(), spec.id, spec.title, description), description }
    } finally {
      chart.dispose()
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  } else {
    // Kept as the most recently used.
    cache.delete(key)
  }
  cache.set(key, rendered)
  return rendered
}
