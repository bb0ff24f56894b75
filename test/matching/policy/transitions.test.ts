import t from 'tap'
import { gradualExit, monitoredWindow } from '../../../matching/policy/index.js'

t.test('Nanxun: a year of gradual exit from the month after income exceeded', async t => {
  const result = gradualExit({ profile: 'nanxun-2025', asOf: '2025-08-15', incomeExceededIn: '2025-07', propertyCompliant: true, discoveredOn: '2025-08-10' })
  t.equal(result.gradualExitUntil, '2026-07-31')
  t.equal(result.exitFrom, '2026-08-01')
  t.match(result.trace, { result: true, source: '000_6379457d8a0eea12.txt 三(一)', inputs: { countedFrom: '2025-08-01', gradualExitMonths: 12 } })
  const december = gradualExit({ profile: 'nanxun-2025', asOf: '2026-01-05', incomeExceededIn: '2025-12', propertyCompliant: true, discoveredOn: '2026-01-05' })
  t.equal(december.gradualExitUntil, '2026-12-31', 'counting crosses the year')
})

t.test('property over the limit: no gradual exit, out from the month after discovery', async t => {
  const result = gradualExit({ profile: 'nanxun-2025', asOf: '2025-08-15', incomeExceededIn: '2025-07', propertyCompliant: false, discoveredOn: '2025-08-10' })
  t.equal(result.gradualExitUntil, null)
  t.equal(result.exitFrom, '2025-09-01')
  t.equal(result.trace.result, false)
})

t.test('Gansu: at most six months, for employed dibao members only', async t => {
  const employed = gradualExit({ profile: 'gansu-2023', asOf: '2025-03-01', incomeExceededIn: '2025-01', propertyCompliant: true, discoveredOn: '2025-02-20', employedDibao: true })
  t.equal(employed.gradualExitUntil, '2025-07-31')
  t.match(employed.trace, { source: '004_ada1234e2519cca0.txt 三(二)' })
  t.equal(gradualExit({ profile: 'gansu-2023', asOf: '2025-03-01', incomeExceededIn: '2025-01', propertyCompliant: true, discoveredOn: '2025-02-20' }).gradualExitUntil, null)
  t.equal(gradualExit({ profile: 'jiyuan-2024', asOf: '2025-03-01', incomeExceededIn: '2025-01', propertyCompliant: true, discoveredOn: '2025-02-20' }).gradualExitUntil, null, 'Jiyuan\'s document defines none')
  const staff = [{ key: 'gradualExitMonths', value: 3, effectiveFrom: '2025-01-01', source: 'staff' }]
  t.equal(gradualExit({ profile: 'gansu-2023', asOf: '2025-03-01', incomeExceededIn: '2025-01', propertyCompliant: true, discoveredOn: '2025-02-20', employedDibao: true, staffVersions: staff }).gradualExitUntil, '2025-04-30')
})

t.test('other monitored objects: windows differ between Nanxun and Hubei', async t => {
  t.match(monitoredWindow('nanxun-2025', 'refused', '2023-09-01', '2025-08-31'), { monitored: true, until: '2025-08-31' })
  t.match(monitoredWindow('nanxun-2025', 'refused', '2023-09-01', '2025-09-01'), { monitored: false })
  t.match(monitoredWindow('hubei-2024', 'refused', '2023-09-01', '2025-08-31'), { monitored: false, until: '2024-08-31' })
  t.match(monitoredWindow('nanxun-2025', 'exited', '2022-09-01', '2025-08-31'), { monitored: true, trace: { source: '000_6379457d8a0eea12.txt 四(二)' } })
  t.match(monitoredWindow('hubei-2024', 'exited', '2022-09-01', '2025-08-31'), { monitored: false, trace: { source: '001_8cb5f20805feca87.txt 三(二)' } })
  t.match(monitoredWindow('nanxun-2025', 'temporary_assistance', '2024-09-01', '2025-08-31'), { monitored: true })
  t.match(monitoredWindow('hubei-2024', 'temporary_assistance', '2025-01-01', '2025-02-01'), { monitored: false, until: null }, 'Hubei names no such window')
})
