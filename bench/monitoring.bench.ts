// Dynamic monitoring at scale (issue 19's target: 1,000,000 feed records against 1,000,000
// persons, warnings raised, in ≤ 30 s). A registry of P persons in P / 3 households is written
// by SQL straight into a fresh database — each person with a real ID number and its blind index
// under this run's key, one in a hundred a former member —, then a department feed of N medical
// bills (the heaviest kind: each bill is judged with the person's bills of the last twelve
// months) is imported end to end as the worker runs it: read, parse, blind-index match, store
// each record once, evaluate the rules, reclassify persons outside the low-income population,
// raise, route and notify. Reported: wall time, the CPU time of this process and of PostgreSQL
// (so a run on a shared machine can be read), peak resident memory (sampled every 100 ms).
// The import runs R times on an emptied feed table (the median reported), then once more on
// top of the last run: the idempotent re-import of the same file.
//
//   node --import tsx bench/monitoring.bench.ts [persons=1000000] [records=1000000] [runs=3]
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { addDays } from '../matching/dates.js'
import { createRandom } from '../matching/random.js'
import { makeResidentId } from '../matching/resident-id.js'
import { buildRegions } from '../scripts/demo-data/regions.js'
import { DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import type { Db } from '../server/db/database.js'
import { importStoredFeed } from '../server/monitoring/feeds/import.js'
import { createFeedImport } from '../server/monitoring/feeds/record.js'
import { blindIndex, type PiiKeys } from '../server/privacy/pii.js'
import { machine, median, withDatabase } from './services.js'

const [persons = 1_000_000, records = 1_000_000, runs = 3] = process.argv.slice(2).map(Number)
const households = Math.ceil(persons / 3)
const keys: PiiKeys = { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }
const asOf = DEFAULT_AS_OF
const dir = mkdtempSync(join(tmpdir(), 'shanqiao-monitoring-bench-'))
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9

/** Person n's ID number (n from 1): distinct birth days and sequence numbers, all valid, in Nanxun. */
const idNumberOf = (n: number) => makeResidentId('330503', addDays('1940-01-01', n % 30000), 2 * Math.floor(n / 30000) + 1, 'male')

async function loadRegistry (db: Db): Promise<void> {
  const regions = buildRegions(createRandom('bench-monitoring'), households).filter(r => r.code.startsWith('330503'))
  for (let i = 0; i < regions.length; i += 1000) {
    await db.insertInto('regions').values(regions.slice(i, i + 1000).map(r => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode }))).execute()
  }
  await db.insertInto('region_policies').values({ region_code: '330503', profile: 'nanxun-2025' }).onConflict(oc => oc.doNothing()).execute()
  const villages = regions.filter(r => r.level === 'village').map(r => r.code)
  await db.connection().execute(async c => {
    // The rows are synthetic: no triggers or foreign-key checks while loading.
    await sql`SET session_replication_role = replica`.execute(c)
    // One household in eleven outside the low-income population (category none, an income well
    // above the lines), some exited: their members' bills run the classifier.
    await sql`
      INSERT INTO households (id, region_code, annual_income, property_compliant, status, status_since, category, created_at, gradual_exit_until)
      OVERRIDING SYSTEM VALUE
      SELECT i, (${villages}::text[])[1 + (i::bigint * 7919) % ${villages.length}], CASE WHEN i % 11 = 10 OR i % 100 >= 92 THEN 150000 + (i % 40) * 5000 ELSE (i % 40) * 1500 END, true,
        CASE WHEN i % 100 < 88 THEN 'active' WHEN i % 100 < 92 THEN 'gradual_exit' ELSE 'exited' END, ${asOf}::date - (i % 900),
        (ARRAY['tekun','dibao','dibao','dibao','fanpin_monitor','dibao_edge','dibao_edge','rigid_expense','low_income_support','dibao','none'])[1 + i % 11],
        now() - make_interval(days => (i % 1100)::int), CASE WHEN i % 100 BETWEEN 88 AND 91 THEN ${asOf}::date + 180 END
      FROM generate_series(1, ${households}::int) AS i`.execute(c)
    for (let from = 1; from <= persons; from += 20_000) {
      const ids = Array.from({ length: Math.min(20_000, persons - from + 1) }, (_, k) => from + k)
      await sql`
        INSERT INTO persons (id, household_id, relation, name_encrypted, masked_name, id_number_encrypted, id_blind_index, birth_date, sex, labor_capacity,
          has_income_source, has_able_supporter, left_on, left_reason)
        OVERRIDING SYSTEM VALUE
        SELECT n, 1 + (n - 1) % ${households}, CASE WHEN n <= ${households} THEN 'head' ELSE 'child' END, '\\x00'::bytea, '某*', '\\x00'::bytea, b,
          date '1940-01-01' + (n % 30000), 'male', (ARRAY['full','weak','none'])[1 + n % 3], n % 4 = 0, true,
          CASE WHEN n % 100 = 42 AND n > ${households} THEN ${asOf}::date - 30 END, CASE WHEN n % 100 = 42 AND n > ${households} THEN 'moved_out' END
        FROM unnest(${ids}::int[], ${ids.map(n => blindIndex(keys, idNumberOf(n)))}::bytea[]) AS t (n, b)`.execute(c)
    }
    await sql`SELECT setval(pg_get_serial_sequence('households', 'id'), ${households}), setval(pg_get_serial_sequence('persons', 'id'), ${persons})`.execute(c)
  })
  await sql`ANALYZE households; ANALYZE persons`.execute(db)
}

/**
 * The feed: every person in turn (then again, with later bills) until N records, one in fifty
 * a stranger to the registry; bills of 50–2,950 yuan, and one in a hundred of 12,000, which
 * crosses the first tier.
 */
async function writeFeed (path: string): Promise<void> {
  const out = createWriteStream(path)
  out.write('身份证号,姓名,结算日期,自付金额,业务编号\n')
  for (let r = 0; r < records; r++) {
    const round = Math.floor(r / persons)
    const id = r % 50 === 49 ? makeResidentId('330503', '1930-01-01', (r % 400) * 2 + 1, 'male') : idNumberOf(1 + r % persons)
    const amount = r % 100 === 7 ? 12000 : 50 + (r * 37) % 2900
    if (!out.write(`${id},,${addDays(asOf, -1 - round * 20 - (r % 15))},${amount},B${r}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

/**
 * CPU seconds used so far by this database's server: the postmaster and its live children (the
 * backends and background workers), plus the children it has already reaped.
 */
async function postgresCpu (db: Db): Promise<number> {
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)
  const stat = (pid: number | string) => { const text = readFileSync(`/proc/${pid}/stat`, 'utf8'); return text.slice(text.lastIndexOf(')') + 2).split(' ') }
  const postmaster = Number(stat(rows[0]?.pid as number)[1])
  let ticks = 0
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    try {
      const fields = stat(pid)
      if (Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12])
      if (Number(pid) === postmaster) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    } catch { /* gone meanwhile */ }
  }
  return ticks / 100
}

const nodeCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 }

await withDatabase(async db => {
  let started = process.hrtime.bigint()
  await loadRegistry(db)
  console.log(`registry: ${households.toLocaleString('en-US')} households / ${persons.toLocaleString('en-US')} persons loaded in ${seconds(started).toFixed(1)} s`)
  const source = join(dir, 'feed.csv')
  await writeFeed(source)
  const content = await readFile(source)
  console.log(`feed: ${records.toLocaleString('en-US')} records, ${(content.length / 1e6).toFixed(1)} MB`)

  const times: number[] = []
  const passes = [...Array.from({ length: runs }, (_, i) => `import ${i + 1} of ${runs}`), 're-import of the same file']
  for (const [i, pass] of passes.entries()) {
    // Each timed import starts from an empty feed table; the re-import keeps the last run's records.
    if (i < runs) await sql`TRUNCATE feed_records, feed_problems, warning_events, warnings, notifications CASCADE`.execute(db)
    const id = await createFeedImport(db, dir, { kind: 'medical', fileName: 'bench.csv', format: 'csv', scope: { regionPrefix: '' }, createdBy: null, content })
    let peak = process.memoryUsage().rss
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 100)
    const before = { rss: process.memoryUsage().rss, node: nodeCpu(), postgres: await postgresCpu(db), load: loadavg()[0] as number }
    started = process.hrtime.bigint()
    const outcome = await importStoredFeed(db, { ...keys, dataDir: dir }, id, asOf)
    const wall = seconds(started)
    clearInterval(sampler)
    if (i < runs) times.push(wall)
    const cpu = { node: nodeCpu() - before.node, postgres: await postgresCpu(db) - before.postgres }
    console.log(`${pass}: ${wall.toFixed(1)} s (${Math.round(records / wall).toLocaleString('en-US')} records/s); matched ${outcome.matched}, unmatched ${outcome.unmatched}, ` +
      `invalid ${outcome.invalid}, already imported ${outcome.alreadyImported}, warnings ${outcome.warningsRaised}`)
    console.log(`  CPU: this process ${cpu.node.toFixed(1)} s, PostgreSQL ${cpu.postgres.toFixed(1)} s; load average ${before.load.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)}`)
    console.log(`  memory: resident ${Math.round(before.rss / 2 ** 20)} MiB before, peak ${Math.round(peak / 2 ** 20)} MiB during`)
  }
  console.log(`median of ${runs} imports: ${median(times).toFixed(1)} s`)
})
rmSync(dir, { recursive: true, force: true })
console.log(machine())
