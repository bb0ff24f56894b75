// Importing a roster: 100,000 households (~320,000 persons) from CSV, including parsing,
// validation, ID checks, encryption, classification and writes, in one all-or-nothing
// transaction. Run: node --import tsx bench/import.bench.ts [households] [runs]
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import type { HouseholdRecord } from '../scripts/demo-data/records.js'
import { runImport } from '../server/registry/import/run.js'
import { machine, median, withDatabase } from './services.js'

const size = Number(process.argv[2] ?? 100000)
const runs = Number(process.argv[3] ?? 3)
const HEADER = '户编号,村社区代码,姓名,身份证号,与户主关系,劳动能力,有收入来源,有赡养人,残疾等级,残疾类别,患重病,在学阶段,就业,家庭年收入,医疗支出,教育支出,财产符合,防返贫监测,困难情形,地址,电话'
const yes = (b: boolean) => b ? '是' : '否'

function rows (h: HouseholdRecord): string[] {
  return h.members.map((m, i) => [
    h.key, i === 0 ? h.regionCode : '', m.name, m.idNumber, m.relation, m.laborCapacity, yes(m.hasIncomeSource), yes(m.hasAbleSupporter),
    m.disability?.level ?? '', m.disability?.kind ?? '', yes(m.seriousIllness), m.schoolStage, yes(m.employed),
    i === 0 ? h.annualIncome : '', i === 0 ? h.rigidExpenses.medical : '', i === 0 ? h.rigidExpenses.education : '',
    i === 0 ? yes(h.propertyCompliant) : '', i === 0 ? yes(h.povertyMonitoring) : '', i === 0 ? h.hardships.join('、') : '',
    i === 0 ? h.address : '', i === 0 ? h.phone : ''
  ].join(','))
}

const dir = mkdtempSync(join(tmpdir(), 'shanqiao-import-bench-'))
const path = join(dir, 'roster.csv')
const data = generateDataset({ seed: 9, households: size })
const out = createWriteStream(path)
out.write(`${HEADER}\n`)
let persons = 0
for (const household of data.households()) {
  persons += household.members.length
  if (!out.write(`${rows(household).join('\n')}\n`)) await once(out, 'drain')
}
out.end()
await once(out, 'finish')
console.log(`roster: ${size} households, ${persons} persons, ${(statSync(path).size / 1e6).toFixed(1)} MB`)

const keys = { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }
await withDatabase(async db => {
  for (const level of ['county', 'town', 'village'] as const) {
    const regions = data.regions.filter(r => r.level === level).map(r => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode }))
    await db.insertInto('regions').values(regions).execute()
  }
  await db.insertInto('region_policies').values(data.regionPolicies.map(p => ({ region_code: p.regionCode, profile: p.profile }))).execute()
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    await sql`TRUNCATE persons, households CASCADE`.execute(db)
    const started = Date.now()
    const outcome = await runImport(db, { path, format: 'csv', mode: 'all_or_nothing', scope: { regionPrefix: '' }, asOf: DEFAULT_AS_OF, keys })
    const seconds = (Date.now() - started) / 1000
    if (outcome.status !== 'completed' || outcome.householdsCreated !== size) throw new Error(`import failed: ${JSON.stringify({ ...outcome, problems: outcome.problems.slice(0, 5) })}`)
    times.push(seconds)
    console.log(`run ${run + 1}: ${seconds.toFixed(1)} s (${Math.round(size / seconds)} households/s)`)
  }
  console.log(`median of ${runs}: ${median(times).toFixed(1)} s for ${size} households / ${persons} persons`)
})
console.log(machine())
rmSync(dir, { recursive: true, force: true })
