// The dashboards at scale (issue 20): 1,000,000 persons in ~330,000 households and 1,000,000
// wishes (with their claims, the bureau's monthly payments in the chains, vouchers, projects'
// help), written by SQL straight into a fresh database (triggers and foreign-key checks off
// while loading: the rows are synthetic, only their number and spread matter). Then:
//
//   1. the aggregates' rebuild (the worker's `refresh-statistics` task), timed;
//   2. the HTTP server in its own process (demo logins on), and C clients in this process
//      (node:http, kept alive) asking for the civil-affairs dashboard (county, town and village;
//      month, quarter, year, custom), the charity federation's and the public impact page, each
//      client sending its next request when the last one answers. Latency per page and overall
//      (p50/p95/p99); in the last run a rebuild lands midway, as the worker's would, and the clients
//      go on past it (the figures switch: the previous ones are served while the new are computed).
//
//   node --import tsx bench/dashboards.bench.ts [persons=1000000] [wishes=1000000] [clients=10] [requests=2000]
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { createRandom } from '../matching/random.js'
import { buildRegions } from '../scripts/demo-data/regions.js'
import { freePort } from '../scripts/services/process.js'
import type { Db } from '../server/db/database.js'
import http from 'node:http'
import { refreshStatistics } from '../server/statistics/refresh.js'
import { machine, withDatabase } from './services.js'

const [persons = 1_000_000, wishes = 1_000_000, clients = 10, requests = 2000] = process.argv.slice(2).map(Number)
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100) - 1)] as number

async function load (db: Db): Promise<void> {
  const households = Math.round(persons / 3.03)
  const regions = buildRegions(createRandom('bench-dashboards'), households)
  for (let i = 0; i < regions.length; i += 1000) {
    await db.insertInto('regions').values(regions.slice(i, i + 1000).map(r => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode }))).execute()
  }
  const villages = regions.filter(r => r.level === 'village').map(r => r.code)
  await db.connection().execute(async c => {
    await sql`SET session_replication_role = replica`.execute(c)
    const go = async (what: string, statement: ReturnType<typeof sql>) => {
      const started = process.hrtime.bigint()
      const result = await statement.execute(c)
      console.log(`  ${what}: ${Number(result.numAffectedRows ?? 0).toLocaleString('en-US')} rows in ${seconds(started).toFixed(1)} s`)
    }
    await sql`CREATE TEMP TABLE bench_villages AS SELECT ordinality AS n, code FROM unnest(${villages}::text[]) WITH ORDINALITY AS code`.execute(c)
    const villageCount = villages.length
    await go('households', sql`
      INSERT INTO households (id, region_code, annual_income, property_compliant, status, status_since, category, created_at, gradual_exit_until)
      SELECT i, v.code, (i % 40) * 1000, true,
        CASE WHEN i % 100 < 85 THEN 'active' WHEN i % 100 < 90 THEN 'gradual_exit' WHEN i % 100 < 97 THEN 'exited' ELSE 'monitored_other' END,
        current_date - (i % 900),
        (ARRAY['tekun','dibao','dibao','dibao','fanpin_monitor','dibao_edge','dibao_edge','rigid_expense','low_income_support','other','none'])[1 + i % 11],
        now() - make_interval(days => ((i * 7)::int) % 1100), CASE WHEN i % 100 BETWEEN 85 AND 89 THEN current_date + 180 END
      FROM generate_series(1, ${households}::int) AS i JOIN bench_villages v ON v.n = 1 + (i::bigint * 7919) % ${villageCount}`)
    await go('persons', sql`
      INSERT INTO persons (id, household_id, relation, name_encrypted, masked_name, id_number_encrypted, id_blind_index, birth_date, sex, labor_capacity, has_income_source, has_able_supporter)
      SELECT i, 1 + (i - 1) % ${households}, CASE WHEN i <= ${households} THEN 'head' ELSE 'child' END, '\\x00'::bytea, '某*', '\\x00'::bytea, decode(md5(i::text), 'hex'),
        date '1950-01-01' + (i % 25000), CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END, 'weak', false, true
      FROM generate_series(1, ${persons}::int) AS i`)
    await go('decisions', sql`
      INSERT INTO category_decisions (household_id, decided_at, as_of, profile, profile_version, category, per_capita_monthly_income, trace)
      SELECT h.id, h.created_at, h.created_at::date, 'nanxun-2025', 'bench', CASE WHEN h.id % 10 = 0 THEN 'dibao_edge' ELSE coalesce(h.category, 'none') END, 500, '{}'::jsonb FROM households h
      UNION ALL SELECT h.id, h.created_at + interval '200 days', (h.created_at + interval '200 days')::date, 'nanxun-2025', 'bench', coalesce(h.category, 'none'), 500, '{}'::jsonb FROM households h WHERE h.id % 10 = 0`)
    await go('organisations and donors', sql`
      WITH o AS (INSERT INTO organisations (name, region_code) VALUES ('南浔区慈善总会', '330503'), ('济源示范区慈善总会', '419001') RETURNING id)
      INSERT INTO donors (id, kind, name, created_at) OVERRIDING SYSTEM VALUE SELECT i, CASE WHEN i % 10 = 0 THEN 'enterprise' ELSE 'individual' END, '爱心人士' || i, now() - make_interval(days => (i % 700)::int) FROM generate_series(1, 20000) AS i`)
    await go('projects', sql`
      INSERT INTO projects (id, organisation_id, kind, title, budget, unit_cost, status, committed, spent, funding_donor_id) OVERRIDING SYSTEM VALUE
      SELECT i, (SELECT min(id) FROM organisations) + (i % 2), (ARRAY['fund','dream_room','training_voucher','wish'])[1 + i % 4], '基准项目' || i, 500000, 1000, 'open', 300000, 200000, CASE WHEN i % 3 = 0 THEN i * 10 END
      FROM generate_series(1, 30) AS i`)
    await go('wishes', sql`
      INSERT INTO wishes (id, person_id, household_id, region_code, category, item, value, state, reason, public_view, created_at, published_at) OVERRIDING SYSTEM VALUE
      SELECT i, p.id, p.household_id, h.region_code, (ARRAY['school_supplies','clothing','daily_goods','rehab_aids','appliances','services','other'])[1 + i % 7], '心愿' || i, 50 + i % 950,
        s.state, CASE WHEN s.state = 'withdrawn' THEN '基准' END, CASE WHEN s.state IN ('published','claimed','closed') THEN '{}'::jsonb END,
        now() - make_interval(days => (i % 720)::int), CASE WHEN s.state IN ('published','claimed','closed') THEN now() - make_interval(days => (i % 720)::int) + interval '3 days' END
      FROM generate_series(1, ${wishes}::int) AS i
      JOIN persons p ON p.id = 1 + (i - 1) % ${persons}
      JOIN households h ON h.id = p.household_id
      CROSS JOIN LATERAL (SELECT CASE WHEN i % 10 < 3 THEN 'published' WHEN i % 10 = 3 THEN 'claimed' WHEN i % 10 < 8 THEN 'closed' WHEN i % 10 = 8 THEN 'submitted' ELSE 'withdrawn' END AS state) s`)
    await go('claims', sql`
      INSERT INTO claims (wish_id, donor_id, state, claimed_at, due_on, confirmed_on)
      SELECT w.id, 1 + w.id % 20000, CASE WHEN w.state = 'closed' THEN 'confirmed' ELSE 'active' END, w.published_at + interval '2 days', (w.published_at + interval '16 days')::date,
        CASE WHEN w.state = 'closed' THEN (w.published_at + make_interval(days => (5 + w.id % 20)::int))::date END
      FROM wishes w WHERE w.state IN ('claimed', 'closed')`)
    await go('vouchers', sql`
      INSERT INTO vouchers (person_id, household_id, region_code, half_year, state, created_at)
      SELECT p.id, p.household_id, h.region_code, hy, CASE WHEN hy LIKE '%H1' AND p.id % 5 = 0 THEN 'lapsed' ELSE 'issued' END, now() - interval '30 days'
      FROM persons p JOIN households h ON h.id = p.household_id CROSS JOIN (VALUES ('2025H2'), ('2026H1'), ('2026H2')) AS y(hy) WHERE p.id % 20 = 0`)
    await go('proposals and fulfilments', sql`
      WITH pr AS (
        INSERT INTO proposals (project_id, household_id, person_id, region_code, rank, score, cost, explanation, status, source, statement, decided_at)
        SELECT 1 + h.id % 30, h.id, h.id, h.region_code, 1, 0.5, 1000, '{}'::jsonb, 'confirmed', 'application', '基准', now() - make_interval(days => (h.id % 400)::int)
        FROM households h WHERE h.id % 10 = 3 RETURNING id, decided_at)
      INSERT INTO fulfilments (proposal_id, state, due_on, received_on) SELECT id, CASE WHEN id % 3 = 0 THEN 'in_progress' ELSE 'received' END, (decided_at + interval '30 days')::date, CASE WHEN id % 3 <> 0 THEN (decided_at + interval '20 days')::date END FROM pr`)
    await go('dream rooms', sql`
      INSERT INTO dream_rooms (household_id, person_id, region_code, stage, room_condition, budget_estimate, created_at, project_id)
      SELECT h.id, h.id, h.region_code, (ARRAY['survey','design','build','completed'])[1 + h.id % 4], '破旧', 15000, now() - make_interval(days => (h.id % 300)::int), 2 FROM households h WHERE h.id % 100 = 7`)
    await go('chain: monthly payments', sql`
      INSERT INTO assistance_entries (household_id, source, kind, value, occurred_on, provider)
      SELECT h.id, 'government', CASE WHEN h.category = 'tekun' THEN '特困供养金' ELSE '低保金' END, 500 + h.id % 700, (date_trunc('month', current_date) - make_interval(months => m))::date, '区民政局'
      FROM households h CROSS JOIN generate_series(0, 11) AS m WHERE h.category IN ('tekun', 'dibao') AND h.status IN ('active', 'gradual_exit')`)
    await go('chain: charity help', sql`
      INSERT INTO assistance_entries (household_id, source, kind, value, occurred_on, provider, origin)
      SELECT w.household_id, 'charity', 'wish', w.value, c.confirmed_on, '爱心认领', 'claim:' || c.id FROM claims c JOIN wishes w ON w.id = c.wish_id WHERE c.state = 'confirmed'
      UNION ALL
      SELECT pr.household_id, 'charity', 'fund', pr.cost, f.received_on, '基准项目', 'proposal:' || pr.id FROM proposals pr JOIN fulfilments f ON f.proposal_id = pr.id WHERE f.received_on IS NOT NULL`)
    await sql`SET session_replication_role = origin`.execute(c)
    for (const table of ['households', 'persons', 'wishes', 'claims', 'assistance_entries', 'category_decisions', 'vouchers', 'proposals', 'dream_rooms', 'donors', 'projects']) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(c)
    }
    await sql`VACUUM ANALYZE`.execute(c)
  })
}

await withDatabase(async (db, services) => {
  console.log(`loading ${persons.toLocaleString('en-US')} persons and ${wishes.toLocaleString('en-US')} wishes …`)
  const loading = process.hrtime.bigint()
  await load(db)
  console.log(`loaded in ${seconds(loading).toFixed(0)} s`)
  const rebuilds: number[] = []
  // BENCH_REBUILDS: how many timed rebuilds before the pages (3 for a median).
  for (let i = 0; i < Number(process.env.BENCH_REBUILDS ?? 3); i++) {
    const r = await refreshStatistics(db)
    rebuilds.push(r.tookMs)
    console.log(`aggregates rebuilt in ${(r.tookMs / 1000).toFixed(1)} s (${r.rows.toLocaleString('en-US')} rows)`)
  }
  await sql`VACUUM ANALYZE stat_stock, stat_flow, stat_charity_help`.execute(db)
  // What a dashboard would cost without the aggregates: the coverage table alone, straight from the registry.
  const direct = process.hrtime.bigint()
  await sql`SELECT left(h.region_code, 9), h.category, count(*) FROM persons p JOIN households h ON h.id = p.household_id WHERE p.left_on IS NULL AND h.region_code LIKE '330503%' AND h.status IN ('active','gradual_exit') GROUP BY 1, 2`.execute(db)
  console.log(`for comparison, the county's coverage table straight from persons and households: ${(seconds(direct) * 1000).toFixed(0)} ms`)

  const port = await freePort()
  const server = fork(join(fileURLToPath(import.meta.url), '..', '..', 'server', 'main.ts'), [], {
    // BENCH_PROFILE=dir writes the server's CPU profile there (node --cpu-prof).
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
    env: {
      ...process.env, NODE_ENV: 'development', SHANQIAO_DEMO: 'on', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', COOKIE_SECURE: 'false',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'shanqiao-bench-data-')),
      DATABASE_URL: services.databaseUrl, MEILI_URL: services.meiliUrl, MEILI_MASTER_KEY: services.meiliMasterKey, REDIS_URL: services.redisUrl,
      PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'), BLIND_INDEX_KEY: randomBytes(32).toString('hex')
    }
  })
  await new Promise<void>((resolve, reject) => { server.on('message', () => resolve()); server.once('exit', code => reject(new Error(`server exited ${code}`))) })
  const client = pageClient()
  const base = `http://127.0.0.1:${port}`
  try {
    const cookieOf = async (username: string) => {
      const response = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'shanqiao-demo-2025' }) })
      if (!response.ok) throw new Error(`sign-in ${username}: ${response.status}`)
      return (response.headers.get('set-cookie') ?? '').split(';')[0] as string
    }
    const [county, town, charity] = [await cookieOf('mz-county'), await cookieOf('mz-nanxun'), await cookieOf('cszh')]
    const pages: Array<{ name: string, url: string, cookie?: string }> = [
      ...['period=month', 'period=quarter', 'period=year', 'period=custom&from=2025-07&to=2026-06'].map(p => ({ name: 'civil, county', url: `/work/dashboard?${p}`, cookie: county })),
      ...['period=month', 'period=year'].map(p => ({ name: 'civil, town', url: `/work/dashboard?${p}`, cookie: town })),
      { name: 'civil, village', url: '/work/dashboard?period=year&region=330503101001', cookie: town },
      ...['period=month', 'period=year'].map(p => ({ name: 'charity', url: `/charity/dashboard?${p}`, cookie: charity })),
      ...['period=year', 'period=quarter'].map(p => ({ name: 'public impact', url: `/impact?${p}` })),
      { name: 'home page', url: '/' }
    ]
    const get = async (page: typeof pages[number]) => {
      const t0 = process.hrtime.bigint()
      const response = await fetchPage(client, base + page.url, page.cookie)
      if (response.status !== 200) throw new Error(`${page.url}: ${response.status}`)
      return Number(process.hrtime.bigint() - t0) / 1e6
    }
    for (const page of pages) console.log(`first request ${page.url}: ${(await get(page)).toFixed(0)} ms`)
    const runOnce = async (asked: number, rebuildMidway: boolean) => {
      let total = asked
      const latencies = new Map<string, number[]>()
      let sent = 0
      const started = process.hrtime.bigint()
      // With a rebuild, the clients go on until it has committed and 200 requests more, so the run spans the switch to the new figures.
      let landed: number | undefined
      const rebuild = rebuildMidway ? new Promise(resolve => setTimeout(resolve, 2000)).then(() => refreshStatistics(db)).then(() => { landed = sent }) : undefined
      const afterLanding: number[] = []
      await Promise.all(Array.from({ length: clients }, async () => {
        while (sent < total || (rebuild && (landed === undefined || sent < landed + 200))) {
          const page = pages[sent++ % pages.length] as typeof pages[number]
          const after = landed !== undefined
          const ms = await get(page)
          latencies.set(page.name, [...latencies.get(page.name) ?? [], ms])
          if (after) afterLanding.push(ms)
        }
      }))
      await rebuild
      total = sent
      if (rebuild) {
        afterLanding.sort((a, b) => a - b)
        console.log(`  the ${afterLanding.length} requests after the rebuild landed: p50 ${percentile(afterLanding, 50).toFixed(1)} / p95 ${percentile(afterLanding, 95).toFixed(1)} / max ${(afterLanding.at(-1) ?? 0).toFixed(1)} ms`)
      }
      const all = [...latencies.values()].flat().sort((a, b) => a - b)
      const rate = total / seconds(started)
      console.log(`${total} requests, ${clients} clients${rebuildMidway ? ', one rebuild during the run' : ''}: p50 ${percentile(all, 50).toFixed(1)} / p95 ${percentile(all, 95).toFixed(1)} / p99 ${percentile(all, 99).toFixed(1)} ms, ${rate.toFixed(0)} req/s`)
      for (const [name, values] of latencies) {
        values.sort((a, b) => a - b)
        console.log(`  ${name.padEnd(16)} n ${String(values.length).padStart(5)}  p50 ${percentile(values, 50).toFixed(1).padStart(6)}  p95 ${percentile(values, 95).toFixed(1).padStart(6)}  p99 ${percentile(values, 99).toFixed(1).padStart(6)} ms`)
      }
    }
    await runOnce(Math.min(300, requests), false)
    await runOnce(requests, false)
    await runOnce(requests, false)
    await runOnce(requests, true)
  } finally {
    client.close()
    server.kill('SIGTERM')
  }
})
console.log(machine())

/** Pages over kept-alive node:http connections (the clients share the cores with what they measure). */
function pageClient () {
  const agent = new http.Agent({ keepAlive: true })
  return {
    get: (url: string, cookie: string | undefined) => new Promise<{ status: number }>((resolve, reject) => {
      http.get(url, { agent, headers: cookie ? { cookie } : {} }, response => {
        response.on('data', () => {})
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }))
        response.on('error', reject)
      }).on('error', reject)
    }),
    close: () => agent.destroy()
  }
}

async function fetchPage (client: ReturnType<typeof pageClient>, url: string, cookie: string | undefined): Promise<{ status: number }> {
  return client.get(url, cookie)
}
