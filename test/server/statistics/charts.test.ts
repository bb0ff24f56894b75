// Charts drawn on the server (statistics/charts.ts): the SVG carries its labels and figures as
// text, is a named picture with its description in words, and holds nothing the page's
// content-security policy would block (no style attribute or element, no script).
import t from 'tap'
import { describe, renderChart } from '../../../server/statistics/charts.js'
import { budgetShares } from '../../../server/statistics/charity.js'

t.test('a bar chart: labels, figures, a name and a description, nothing inline', async t => {
  const chart = renderChart({ id: 'chart-test', title: '在册人数：按镇（街道）', kind: 'bar', horizontal: true, unit: '人', categories: ['南浔镇', '双林镇', '练市镇'], series: [{ name: '在册人数', values: [120, 75, 9] }] })
  for (const label of ['南浔镇', '双林镇', '练市镇', '>120<', '>75<', '>9<']) t.ok(chart.svg.includes(label), `the SVG says ${label}`)
  t.match(chart.svg, /^<svg role="img" aria-labelledby="chart-test-title chart-test-desc"/)
  t.match(chart.svg, '<title id="chart-test-title">在册人数：按镇（街道）</title>')
  t.equal(chart.description, '在册人数：按镇（街道）（柱状图）。南浔镇 120人，双林镇 75人，练市镇 9人。')
  t.match(chart.svg, `<desc id="chart-test-desc">${chart.description}</desc>`)
  t.notMatch(chart.svg, /style=|<style|<script|ecmeta_/, 'nothing the policy blocks, none of ECharts\' bookkeeping')
  t.match(chart.svg, /font-size="13px"/, 'fonts as presentation attributes')
})

t.test('hidden figures are said to be hidden; many categories are summed up', async t => {
  t.equal(describe({ id: 'c', title: '近 3 个月', kind: 'line', unit: '次', categories: ['1月', '2月', '3月'], series: [{ name: '帮扶次数', values: [4, null, 12] }] }),
    '近 3 个月（折线图）。1月 4次，2月 不公开，3月 12次。')
  const many = Array.from({ length: 30 }, (_, i) => `村${i + 1}`)
  t.equal(describe({ id: 'c', title: '各村', kind: 'bar', unit: '户', categories: many, series: [{ name: '户数', values: many.map((_, i) => i + 1) }] }),
    '各村（柱状图）。共 30 项，合计 465户，最多的是村30 30户。')
  t.equal(describe({ id: 'c', title: '空', kind: 'bar', unit: '户', categories: [], series: [] }), '空：暂无数据。')
})

t.test("a project's budget as shares of 100", async t => {
  t.same(budgetShares({ budget: 500_000, committed: 300_000, spent: 200_000 }), [40, 20, 40])
  t.same(budgetShares({ budget: 3, committed: 2, spent: 1 }), [33.3, 33.3, 33.4], 'the rounding lands on the part still available')
  t.same(budgetShares({ budget: 100, committed: 100, spent: 100 }), [100, 0, 0])
  t.same(budgetShares({ budget: 0, committed: 0, spent: 0 }), [0, 0, 0], 'no budget: nothing drawn')
})
