import t from 'tap'
import { gradualExit, monitoredWindow, monitoring } from '../../../matching/policy/index.js'

const NANXUN_31 = '000_6379457d8a0eea12.txt 三(一)'

t.test('Nanxun: a year of gradual exit from the month after income exceeded', async t => {
  const result = gradualExit({ profile: 'nanxun-2025', from: 'dibao', asOf: '2025-08-15', incomeExceededIn: '2025-07', propertyCompliant: true, discoveredOn: '2025-08-10' })
  t.equal(result.gradualExitUntil, '2026-07-31')
  t.equal(result.exitFrom, '2026-08-01')
  t.match(result.trace, { result: true, source: NANXUN_31, inputs: { countedFrom: '2025-08-01', gradualExitMonths: 12 } })
  t.equal(result.trace.note, undefined, 'Nanxun\'s own rule')
  const december = gradualExit({ profile: 'nanxun-2025', from: 'dibao', asOf: '2026-01-05', incomeExceededIn: '2025-12', propertyCompliant: true, discoveredOn: '2026-01-05' })
  t.equal(december.gradualExitUntil, '2026-12-31', 'counting crosses the year')
  const edge = gradualExit({ profile: 'nanxun-2025', from: 'dibao_edge', asOf: '2025-08-15', incomeExceededIn: '2025-07', propertyCompliant: true, discoveredOn: '2025-08-10' })
  t.equal(edge.gradualExitUntil, '2026-07-31', 'edge households too (三(一): 最低生活保障家庭、最低生活保障边缘家庭)')
  const unknown = gradualExit({ profile: 'nanxun-2025', from: 'dibao', asOf: '2025-08-15', incomeExceededIn: null, propertyCompliant: true, discoveredOn: '2025-08-15' })
  t.equal(unknown.gradualExitUntil, '2026-08-31', 'without the month on record, counted from the month after this decision')
  t.match(unknown.trace.inputs.incomeExceededInAssumed, /未记录/)
})

t.test('property over the limit: no gradual exit, out from the month after discovery', async t => {
  const result = gradualExit({ profile: 'nanxun-2025', from: 'dibao', asOf: '2025-08-15', incomeExceededIn: '2025-07', propertyCompliant: false, discoveredOn: '2025-08-10' })
  t.equal(result.gradualExitUntil, null)
  t.equal(result.exitFrom, '2025-09-01')
  t.match(result.trace, { result: false, source: NANXUN_31 })
  t.equal(result.trace.note, undefined)
})

t.test('Gansu: at most six months, for employed dibao members only', async t => {
  const base = { profile: 'gansu-2023', from: 'dibao' as const, asOf: '2025-03-01', incomeExceededIn: '2025-01', propertyCompliant: true, discoveredOn: '2025-02-20' }
  const employed = gradualExit({ ...base, employed: true })
  t.equal(employed.gradualExitUntil, '2025-07-31')
  t.match(employed.trace, { source: '004_ada1234e2519cca0.txt 三(二)', inputs: { countingBorrowed: /南浔/ } }, 'the month it counts from is Nanxun\'s, and the trace says so')
  const notEmployed = gradualExit(base)
  t.equal(notEmployed.gradualExitUntil, null)
  t.match(notEmployed.trace, { source: NANXUN_31, note: /004_ada1234e2519cca0\.txt 三\(二\) 仅对已就业的低保对象/ })
  const property = gradualExit({ ...base, employed: true, propertyCompliant: false })
  t.match(property, { gradualExitUntil: null, exitFrom: '2025-03-01' }, 'out from the month after discovery')
  t.match(property.trace, { source: NANXUN_31, note: /004_ada1234e2519cca0\.txt 三\(二\) 只对收入超标给予渐退期.*沿用南浔 三\(一\)/ }, 'Nanxun\'s property rule, cited as Nanxun\'s')
  const edge = gradualExit({ ...base, from: 'dibao_edge', employed: true })
  t.equal(edge.gradualExitUntil, null, 'Gansu 三(二) gives edge households none')
  const staff = [{ key: 'gradualExitMonths', value: 3, effectiveFrom: '2025-01-01', source: 'staff' }]
  t.equal(gradualExit({ ...base, employed: true, staffVersions: staff }).gradualExitUntil, '2025-04-30')
})

t.test('documents without a gradual exit say so and cite where the exit timing comes from', async t => {
  const cases: Array<[string, string]> = [['hubei-2024', '001_8cb5f20805feca87.txt'], ['jiyuan-2024', '002_652007ff225b11c2.txt'], ['shanxi-county', '003_36aac0a6461aae9a.txt']]
  for (const [profile, file] of cases) {
    const result = gradualExit({ profile, from: 'dibao', asOf: '2025-03-01', incomeExceededIn: '2025-01', propertyCompliant: true, discoveredOn: '2025-02-20' })
    t.equal(result.gradualExitUntil, null, profile)
    t.equal(result.exitFrom, '2025-03-01')
    t.equal(result.trace.source, NANXUN_31)
    t.match(result.trace.note, new RegExp(`${file.replace('.', '\\.')} 未规定渐退期`), `${profile}: the note names its own document`)
  }
})

t.test('other monitored objects: windows differ between Nanxun and Hubei', async t => {
  t.match(monitoredWindow('nanxun-2025', 'refused', '2023-09-01', '2025-08-31'), { monitored: true, until: '2025-08-31' })
  t.match(monitoredWindow('nanxun-2025', 'refused', '2023-09-01', '2025-09-01'), { monitored: false })
  t.match(monitoredWindow('hubei-2024', 'refused', '2023-09-01', '2025-08-31'), { monitored: false, until: '2024-08-31' })
  t.match(monitoredWindow('nanxun-2025', 'exited', '2022-09-01', '2025-08-31'), { monitored: true, trace: { source: '000_6379457d8a0eea12.txt 四(二)' } })
  t.match(monitoredWindow('hubei-2024', 'exited', '2022-09-01', '2025-08-31'), { monitored: false, trace: { source: '001_8cb5f20805feca87.txt 三(二)' } })
  t.match(monitoredWindow('nanxun-2025', 'temporary_assistance', '2024-09-01', '2025-08-31'), { monitored: true })
  t.match(monitoredWindow('hubei-2024', 'temporary_assistance', '2025-01-01', '2025-02-01'), { monitored: false, until: null, trace: { source: '001_8cb5f20805feca87.txt 三(二)', inputs: { window: /未规定/ } } }, 'Hubei names no such window')
  const jiyuan = monitoredWindow('jiyuan-2024', 'exited', '2025-01-01', '2025-02-01')
  t.match(jiyuan, { monitored: false, until: null, trace: { source: '002_652007ff225b11c2.txt 三(二)', note: /未规定/ } }, 'a document without windows is cited, not left blank')
})

t.test('a household outside the categories: monitored while its window lasts', async t => {
  t.match(monitoring('nanxun-2025', 'exited', '2022-09-01', '2025-08-31', null), { ground: 'exited', monitored: true, until: '2025-08-31' })
  t.match(monitoring('nanxun-2025', 'exited', '2022-09-01', '2025-09-01', null), { ground: 'exited', monitored: false })
  t.match(monitoring('hubei-2024', 'refused', '2024-09-01', '2025-08-31', null), { monitored: true, until: '2025-08-31' })
  t.match(monitoring('nanxun-2025', 'refused', '2020-01-01', '2025-08-31', '2025-03-01'), { ground: 'temporary_assistance', monitored: true, until: '2026-02-28' }, 'temporary assistance keeps a long-refused household in view')
  t.match(monitoring('nanxun-2025', 'monitored_other', '2020-01-01', '2025-08-31', null), { ground: 'other_monitored', monitored: true, until: null, trace: { source: '000_6379457d8a0eea12.txt 四(二)' } })
  t.match(monitoring('nanxun-2025', 'monitored_other', '2020-01-01', '2025-08-31', '2024-01-01'), { ground: 'temporary_assistance', monitored: false, until: '2024-12-31' }, 'a temporarily assisted household leaves after a year')
  t.match(monitoring('jiyuan-2024', 'exited', '2025-01-01', '2025-02-01', null), { monitored: false, until: null, trace: { source: '002_652007ff225b11c2.txt 三(二)' } })
})
