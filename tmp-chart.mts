import { renderChart } from './server/statistics/charts.js'
const t0 = performance.now()
const a = renderChart({ id: 'c1', title: '在册人数（按镇）', kind: 'bar', horizontal: true, stacked: true, categories: ['南浔镇', '双林镇', '练市镇'], series: [{ name: '低保', values: [12, 30, 5] }, { name: '特困', values: [3, 4, null] }], unit: '人' })
const t1 = performance.now()
const b = renderChart({ id: 'c2', title: '每月实现心愿', kind: 'line', categories: ['25年1月','25年2月','25年3月'], series: [{ name: '心愿', values: [1, 5, 3] }], unit: '个' })
console.log(t1 - t0, performance.now() - t1)
console.log(a.svg.slice(0, 1500))
console.log(a.description)
console.log((a.svg + b.svg).match(/style/g))
import { writeFileSync } from 'node:fs'
writeFileSync('/tmp/ec/a.html', `<html><body>${a.svg}${b.svg}</body></html>`)
