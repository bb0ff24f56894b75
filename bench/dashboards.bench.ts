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
import { sql } from 'kysely'
import { refreshStatistics } from '../server/statistics/refresh.js'
import { loadBigRegistry } from './big-registry.js'
import { demoCookie, pageClient, startPageServer } from './page-server.js'
import { machine, withDatabase } from './services.js'

const [persons = 1_000_000, wishes = 1_000_000, clients = 10, requests = 2000] = process.argv.slice(2).map(Number)
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100) - 1)] as number

await withDatabase(async (db, services) => {
  console.log(`loading ${persons.toLocaleString('en-US')} persons and ${wishes.toLocaleString('en-US')} wishes …`)
  const loading = process.hrtime.bigint()
  await loadBigRegistry(db, persons, wishes)
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

  const server = await startPageServer(services, process.env.BENCH_PROFILE)
  const client = pageClient()
  const base = server.base
  try {
    const cookieOf = (username: string) => demoCookie(base, username)
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
    server.stop()
  }
})
console.log(machine())

async function fetchPage (client: ReturnType<typeof pageClient>, url: string, cookie: string | undefined): Promise<{ status: number }> {
  return client.get(url, cookie)
}
