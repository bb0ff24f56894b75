// The civil-affairs workbench at scale (issue 17, "Speed"): the registry of bench/big-registry.ts
// (1,000,000 persons in ~330,000 households, their wishes, claims, chains, vouchers, proposals
// and dream rooms), the server in its own process (bench/page-server.ts), and one kept-alive
// client in this process asking for one page at a time, so each latency is the server's time
// for the page (routing, session, queries, rendering) plus a loopback round trip:
//
//   (a) the household list /work/households, unfiltered and filtered as clerks filter it (town,
//       village, category, status, has open help, changed since, and combinations), its first
//       page and a deep page — target p95 ≤ 100 ms;
//   (b) the household page /work/households/:id, households drawn across the region — ≤ 50 ms;
//   (c) the workbench home /work with its queue counts — ≤ 100 ms;
//
// each for a county clerk (mz-county, 湖州市南浔区) and a town officer (mz-nanxun, 南浔镇).
// `runs` passes over every page variant, `rounds` times each per pass; per pass p50/p95/p99 of
// each group, then the median of the passes. The load average is read before and after each pass.
//
//   node --import tsx bench/workbench.bench.ts [persons=1000000] [wishes=1000000] [rounds=20] [runs=3]
import { loadavg } from 'node:os'
import { sql } from 'kysely'
import { today } from '../server/clock.js'
import { makeClassifier } from '../server/registry/classify.js'
import { administrativeVillage } from '../server/registry/context.js'
import { DEFAULT_AS_OF, generateDataset } from '../scripts/demo-data/index.js'
import { loadBigRegistry } from './big-registry.js'
import { demoCookie, pageClient, startPageServer } from './page-server.js'
import { machine, median, withDatabase } from './services.js'
import { percentile } from './wish-documents.js'

const [persons = 1_000_000, wishes = 1_000_000, rounds = 20, runs = 3] = process.argv.slice(2).map(Number)
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9
const PER_PAGE = 20
const TARGETS: Record<string, number> = { list: 100, household: 50, home: 100 }

interface Variant { who: string, group: 'list' | 'household' | 'home', name: string, url: string, cookie: string, expect: string }

const daysAgo = (days: number) => new Date(Date.parse(`${today()}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10)

await withDatabase(async (db, services) => {
  console.log(`loading ${persons.toLocaleString('en-US')} persons and ${wishes.toLocaleString('en-US')} wishes …`)
  const loading = process.hrtime.bigint()
  await loadBigRegistry(db, persons, wishes, 'bench-workbench')
  console.log(`loaded in ${seconds(loading).toFixed(0)} s`)

  // The regions the two accounts work for, a village of the town, and how deep their lists go.
  const county = '330503'
  const town = '330503101'
  const village = (await sql<{ code: string }>`SELECT code FROM regions WHERE parent_code = ${town} ORDER BY code LIMIT 1`.execute(db)).rows[0]?.code as string
  const countIn = async (prefix: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM households WHERE region_code LIKE ${prefix + '%'}`.execute(db)).rows[0]?.n)
  const sizes = { county: await countIn(county), town: await countIn(town), village: await countIn(village) }
  console.log(`households: county ${sizes.county.toLocaleString('en-US')}, town ${sizes.town.toLocaleString('en-US')}, village ${village} ${sizes.village.toLocaleString('en-US')}`)
  const deepPage = (households: number) => Math.min(10_000, Math.max(1, Math.floor(households / PER_PAGE * 0.8)))
  // Households to open: spread over each region (every k-th by id).
  const sample = async (prefix: string, n: number) => (await sql<{ id: number }>`
    SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS r FROM households WHERE region_code LIKE ${prefix + '%'}) s
    WHERE r % ${Math.max(1, Math.floor((await countIn(prefix)) / n))} = 0 ORDER BY id LIMIT ${n}`.execute(db)).rows.map(r => r.id)
  const opened = { county: await sample(county, 20), town: await sample(town, 20) }
  // The loader's decisions carry an empty trace; the households the bench opens get a real one
  // (a generated 南浔 household classified on the server's path, about 6 KB) as their latest
  // decision (decisions are append-only), so their page
  // explains a decision step by step as on a real registry. The region policies as the demo's.
  const demo = generateDataset({ seed: 1, households: 200 })
  await db.insertInto('region_policies').values(demo.regionPolicies.map(p => ({ region_code: p.regionCode, profile: p.profile }))).onConflict(oc => oc.doNothing()).execute()
  const villages = new Map(demo.regions.map(r => [r.code, administrativeVillage(r.name)]))
  const real = [...demo.households()].find(h => h.regionCode.startsWith(county) && h.members.length >= 3) ?? [...demo.households()][0]!
  const decision = makeClassifier(demo.regionPolicies, new Map(), DEFAULT_AS_OF)(real.regionCode, Object.assign(real, { administrativeVillage: villages.get(real.regionCode) ?? null }))
  const trace = JSON.stringify(decision.trace)
  await sql`INSERT INTO category_decisions (household_id, as_of, profile, profile_version, category, per_capita_monthly_income, trace)
    SELECT h.id, current_date, ${decision.profile}, ${decision.profileVersion}, coalesce(h.category, 'none'), ${decision.perCapitaMonthlyIncome}, ${trace}::json
    FROM households h WHERE h.id = ANY(${[...opened.county, ...opened.town]}::int[])`.execute(db)
  console.log(`a real decision trace (${(trace.length / 1024).toFixed(1)} KB, ${(decision.trace as unknown[]).length} steps) on the ${opened.county.length + opened.town.length} households opened`)

  const server = await startPageServer(services, process.env.BENCH_PROFILE)
  const client = pageClient()
  try {
    const cookies = { county: await demoCookie(server.base, 'mz-county'), town: await demoCookie(server.base, 'mz-nanxun') }
    const since = daysAgo(30)
    const lists = (who: 'county' | 'town'): Array<[string, string]> => [
      ['first page', ''],
      ...(who === 'county' ? [['town', `town=${town}`]] as Array<[string, string]> : []),
      ['village', `village=${village}`],
      ['category 低保', 'category=dibao'],
      ['category + status', 'category=dibao&status=active'],
      ['has open help', 'openHelp=true'],
      ['no open help, category', 'openHelp=false&category=tekun'],
      ['changed since 30 days', `changedSince=${since}`],
      ['changed + open help', `changedSince=${since}&openHelp=true`],
      ['town-wide combination', `${who === 'county' ? `town=${town}&` : ''}category=dibao&status=active&openHelp=true&changedSince=${daysAgo(365)}`],
      ['deep page', `page=${deepPage(sizes[who])}`],
      ['deep page, category', `category=dibao&page=${deepPage(sizes[who] / 11 * 3)}`]
    ]
    const variants: Variant[] = (['county', 'town'] as const).flatMap(who => [
      ...lists(who).map(([name, query]) => ({ who, group: 'list' as const, name, url: `/work/households${query ? `?${query}` : ''}`, cookie: cookies[who], expect: 'households' })),
      ...opened[who].map((id, i) => ({ who, group: 'household' as const, name: `household ${i}`, url: `/work/households/${id}`, cookie: cookies[who], expect: '救助' })),
      { who, group: 'home' as const, name: 'home', url: '/work', cookie: cookies[who], expect: '工作台' }
    ])
    const get = async (variant: Variant) => {
      const t0 = process.hrtime.bigint()
      const answer = await client.get(server.base + variant.url, variant.cookie)
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      if (answer.status !== 200) throw new Error(`${variant.who} ${variant.url}: ${answer.status}`)
      if (!answer.body.includes(variant.expect)) throw new Error(`${variant.who} ${variant.url}: no "${variant.expect}" in the page`)
      return ms
    }
    // What the pages show, once (and the first, cold request of each list variant).
    for (const v of variants.filter(v => v.group !== 'household')) {
      const ms = await get(v)
      const body = (await client.get(server.base + v.url, v.cookie)).body
      const total = /共\s*([0-9,]+)\s*户/.exec(body)?.[1]
      console.log(`first ${v.who.padEnd(6)} ${v.url.padEnd(110)} ${ms.toFixed(0).padStart(5)} ms${total ? `  (${total} households)` : ''}`)
    }
    const groups = new Map<string, number[][]>()
    const variantP95 = new Map<string, number[]>()
    const loads: Array<[number, number]> = []
    for (let run = 0; run < runs; run++) {
      const before = loadavg()[0] as number
      const started = process.hrtime.bigint()
      const samples = new Map<string, number[]>()
      const perVariant = new Map<string, number[]>()
      for (let round = 0; round < rounds; round++) {
        for (const v of variants) {
          const ms = await get(v)
          const key = `${v.who} ${v.group}`
          samples.set(key, [...samples.get(key) ?? [], ms])
          const vkey = `${v.who} ${v.group} ${v.name}`
          if (v.group === 'list') perVariant.set(vkey, [...perVariant.get(vkey) ?? [], ms])
        }
      }
      const after = loadavg()[0] as number
      loads.push([before, after])
      console.log(`run ${run + 1}: ${variants.length * rounds} requests in ${seconds(started).toFixed(0)} s, load average ${before.toFixed(1)} → ${after.toFixed(1)}`)
      for (const [key, values] of samples) {
        values.sort((a, b) => a - b)
        const stats = [50, 95, 99].map(p => percentile(values, p))
        groups.set(key, [...groups.get(key) ?? [], stats])
        console.log(`  ${key.padEnd(18)} n ${String(values.length).padStart(4)}  p50 ${stats[0]!.toFixed(1).padStart(6)}  p95 ${stats[1]!.toFixed(1).padStart(6)}  p99 ${stats[2]!.toFixed(1).padStart(6)} ms`)
      }
      for (const [key, values] of perVariant) {
        values.sort((a, b) => a - b)
        variantP95.set(key, [...variantP95.get(key) ?? [], percentile(values, 95)])
      }
    }
    console.log(`\nmedian of ${runs} runs (load average ${loads.map(([a, b]) => `${a.toFixed(1)}–${b.toFixed(1)}`).join(', ')}):`)
    console.log('| user, page | p50 | p95 | p99 | target (p95) |\n|---|---|---|---|---|')
    for (const [key, stats] of groups) {
      const [p50, p95, p99] = [0, 1, 2].map(i => median(stats.map(s => s[i] as number)))
      const target = TARGETS[key.split(' ')[1] as string] as number
      console.log(`| ${key} | ${p50!.toFixed(1)} | ${p95!.toFixed(1)} | ${p99!.toFixed(1)} | ≤ ${target} ms ${p95! <= target ? 'met' : '**missed**'} |`)
    }
    console.log('\nlist variants, median p95 of the runs:')
    for (const [key, values] of variantP95) console.log(`  ${key.padEnd(48)} ${median(values).toFixed(1).padStart(7)} ms`)
  } finally {
    client.close()
    server.stop()
  }
})
console.log(machine())
