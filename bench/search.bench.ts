// The public wish index (issue 5), two measurements:
//
//   catchup  — index catch-up: N published wishes written with their outbox rows, then the
//              sync drains the outbox until every one is searchable (the sync waits for
//              Meilisearch to finish each batch). Rate = N ÷ time, median of the runs.
//              node --import tsx bench/search.bench.ts catchup [wishes=100000] [runs=3]
//
//   latency  — donor search through our API: N de-identified wish documents (drawn from the
//              demo generator, one wish per person) in Meilisearch; the HTTP server in its own
//              process; C clients in this process (node:http, kept-alive) over a mix of Chinese
//              keywords, filters, sorts and pages. Each client sends its next request when the
//              last one answers, after a think time drawn from an exponential distribution of the
//              given mean; with mean 0 (no thinking) the clients saturate the machine and the
//              latencies are queueing.
//              Every think time in the comma list is measured `runs` times.
//              node --import tsx bench/search.bench.ts latency [documents=1000000] [clients=50] [requests=20000] [runs=3] [thinkMs=0,1000]
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { sql } from 'kysely'
import { Meilisearch } from 'meilisearch'
import { createRandom, type Random } from '../matching/random.js'
import { ageOn } from '../matching/policy/index.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { loadDataset } from '../scripts/demo-data/load.js'
import { drawWish } from '../scripts/demo-data/wishes.js'
import { freePort } from '../scripts/services/process.js'
import { buildPublicWish } from '../server/needs/public-view.js'
import { nodeHttpClient } from '../server/search/http-client.js'
import { indexUid, prepareIndex } from '../server/search/indexes.js'
import { syncSearchIndex } from '../server/search/outbox.js'
import { machine, median, withDatabase } from './services.js'

const [mode = 'latency', ...args] = process.argv.slice(2)
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9
const PREFIX = 'bench_'

async function catchUp (wishes: number, runs: number): Promise<void> {
  await withDatabase(async (db, services) => {
    const meili = new Meilisearch({ host: services.meiliUrl, apiKey: services.meiliMasterKey, timeout: 600_000 })
    await loadDataset(db, { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }, generateDataset({ seed: 3, households: 20000 }), { asOf: DEFAULT_AS_OF })
    await syncSearchIndex(db, meili, PREFIX)
    const templates = await db.selectFrom('wishes').select(eb => eb.fn.countAll<number>().as('n')).where('state', '=', 'published').executeTakeFirstOrThrow()
    // N more published wishes, copied from the demo's published ones (a fresh id each).
    await sql`
      INSERT INTO wishes (person_id, household_id, region_code, category, item, value, story, state, public_view, published_at, verified_at)
      SELECT w.person_id, w.household_id, w.region_code, w.category, w.item, w.value, w.story, 'published', w.public_view, now(), now()
      FROM generate_series(1, ${Math.ceil(wishes / Number(templates.n))}) AS copy CROSS JOIN (SELECT * FROM wishes WHERE state = 'published') AS w
      LIMIT ${wishes}`.execute(db)
    await sql`UPDATE wishes SET public_view = jsonb_set(public_view, '{id}', to_jsonb(id)) WHERE state = 'published'`.execute(db)
    const times: number[] = []
    for (let run = 1; run <= runs; run++) {
      await meili.index(indexUid(PREFIX, 'wishes')).deleteAllDocuments().waitTask({ timeout: 600_000 })
      await sql`INSERT INTO search_outbox (index_name, document_id) SELECT 'wishes', id FROM wishes WHERE state = 'published' ORDER BY id`.execute(db)
      const started = process.hrtime.bigint()
      const result = await syncSearchIndex(db, meili, PREFIX)
      const took = seconds(started)
      const stats = await meili.index(indexUid(PREFIX, 'wishes')).getStats()
      times.push(took)
      console.log(`run ${run}: ${result.upserted} wishes from outbox to searchable in ${took.toFixed(2)} s (${(result.upserted / took).toFixed(0)}/s); index holds ${stats.numberOfDocuments}`)
    }
    const total = Number((await db.selectFrom('wishes').select(eb => eb.fn.countAll<number>().as('n')).where('state', '=', 'published').executeTakeFirstOrThrow()).n)
    console.log(`catch-up, ${total} wishes: median ${median(times).toFixed(2)} s, ${(total / median(times)).toFixed(0)} wishes/s`)
  })
}

/** De-identified documents the way publication builds them, one wish per generated person. */
function * documents (count: number, random: Random): Generator<Record<string, unknown>> {
  const data = generateDataset({ seed: 9, households: Math.ceil(count / 3.2) })
  const names = new Map(data.regions.map(r => [r.code, r.name]))
  const now = Date.parse(`${DEFAULT_AS_OF}T12:00:00+08:00`)
  let id = 0
  for (const household of data.households()) {
    for (const [index, member] of household.members.entries()) {
      if (id >= count) return
      const wish = drawWish(random, household, index, DEFAULT_AS_OF, `${household.key}-${index}`)
      const town = household.regionCode.slice(0, 9)
      const publishedAt = new Date(now - random.int(0, 90) * 86_400_000 - random.int(0, 86_399) * 1000)
      yield buildPublicWish({
        id: ++id, category: wish.category, item: wish.item, value: wish.value, story: wish.story,
        neededBy: random.chance(0.3) ? new Date(now + random.int(1, 60) * 86_400_000).toISOString().slice(0, 10) : null,
        showCategory: random.chance(0.1), householdCategory: household.intendedCategory, publishedAt,
        person: { fullName: member.name, sex: member.sex, age: ageOn(member.birthDate, DEFAULT_AS_OF) },
        familyNames: household.members.map(m => m.name),
        town: { code: town, name: names.get(town) ?? '' },
        village: { code: household.regionCode, name: names.get(household.regionCode) ?? '' }
      }, random.chance(0.3) ? { place: 'village', band: 'fine' } : random.chance(0.6) ? { place: 'town', band: 'fine' } : { place: 'town', band: 'wide' }) as unknown as Record<string, unknown>
    }
  }
}

const KEYWORDS = ['书包', '双肩包', '学习用品', '台灯', '羽绒服', '冬衣', '棉被', '轮椅', '助听器', '电饭煲', '取暖器', '米面油', '运动鞋', '校服', '文具', '课外书',
  '衣物', '生活用品', '康复辅具', '小家电', '理发', '助浴', '维修', '保温杯', '学习桌', '洗衣机', '电风扇', '拐杖', '老人', '孩子', '冬天', '开学']
const VALUE_RANGES = ['0-99', '100-299', '300-499', '500-999', '1000+']
const CATEGORIES = ['school_supplies', 'clothing', 'daily_goods', 'rehab_aids', 'appliances', 'services']

/** A donor's query string: a keyword most of the time, sometimes a filter or two, a sort, a page. */
function donorQuery (random: Random, towns: string[]): string {
  const params = new URLSearchParams()
  if (random.chance(0.8)) params.set('q', random.chance(0.15) ? `${random.pick(KEYWORDS)} ${random.pick(KEYWORDS)}` : random.pick(KEYWORDS))
  if (random.chance(0.3)) params.set('townCode', random.pick(towns))
  if (random.chance(0.2)) params.set('category', random.pick(CATEGORIES))
  if (random.chance(0.15)) params.set('valueRange', random.pick(VALUE_RANGES))
  if (random.chance(0.3)) params.set('sort', random.pick(['urgency', 'newest']))
  if (random.chance(0.2)) params.set('page', String(random.int(2, 4)))
  return params.toString()
}

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] as number
}

async function latency (count: number, clients: number, requests: number, runs: number, thinks: number[]): Promise<void> {
  await withDatabase(async (_db, services) => {
    const meili = new Meilisearch({ host: services.meiliUrl, apiKey: services.meiliMasterKey, timeout: 600_000 })
    const uid = indexUid(PREFIX, 'wishes')
    await prepareIndex(_db, meili, uid, 'wishes')
    const random = createRandom('search-bench')
    const indexing = process.hrtime.bigint()
    const tasks: number[] = []
    let batch: Array<Record<string, unknown>> = []
    for (const document of documents(count, random)) {
      batch.push(document)
      if (batch.length === 50_000) { tasks.push((await meili.index(uid).addDocuments(batch)).taskUid); batch = [] }
    }
    if (batch.length > 0) tasks.push((await meili.index(uid).addDocuments(batch)).taskUid)
    for (const task of tasks) {
      const done = await meili.tasks.waitForTask(task, { timeout: 3_600_000, interval: 1000 })
      if (done.status !== 'succeeded') throw new Error(`indexing failed: ${done.error?.message ?? done.status}`)
    }
    const stats = await meili.index(uid).getStats()
    console.log(`indexed ${stats.numberOfDocuments} documents in ${seconds(indexing).toFixed(0)} s`)
    const byTown = await meili.index(uid).search('', { facets: ['townCode'], limit: 0 })
    const towns = Object.keys(byTown.facetDistribution?.townCode ?? {})

    const port = await freePort()
    const server = fork(join(fileURLToPath(import.meta.url), '..', '..', 'server', 'main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', COOKIE_SECURE: 'false',
        DATABASE_URL: services.databaseUrl, MEILI_URL: services.meiliUrl, MEILI_MASTER_KEY: services.meiliMasterKey, REDIS_URL: services.redisUrl,
        SEARCH_PREFIX: PREFIX, PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'), BLIND_INDEX_KEY: randomBytes(32).toString('hex')
      }
    })
    await new Promise<void>((resolve, reject) => { server.on('message', () => resolve()); server.once('exit', code => reject(new Error(`server exited ${code}`))) })
    // The clients share the two cores with what they measure: node:http costs them less than fetch.
    const client = nodeHttpClient()
    try {
      const queries = Array.from({ length: 5000 }, () => donorQuery(random, towns))
      const base = `http://127.0.0.1:${port}/api/v1/public/wishes?`
      const pause = (meanMs: number) => meanMs === 0 ? undefined : new Promise(resolve => setTimeout(resolve, -Math.log(1 - random.next()) * meanMs))
      const runOnce = async (total: number, thinkMs: number) => {
        const latencies: number[] = []
        let sent = 0
        let hits = 0
        const started = process.hrtime.bigint()
        await Promise.all(Array.from({ length: clients }, async () => {
          while (sent < total) {
            await pause(thinkMs)
            const query = queries[sent++ % queries.length] as string
            const t0 = process.hrtime.bigint()
            const body = await client.request(base + query) as { source: string, totalHits: number }
            if (body.source !== 'search') throw new Error(`answered from ${body.source}: ${JSON.stringify(body).slice(0, 200)}`)
            hits += body.totalHits
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
          }
        }))
        latencies.sort((a, b) => a - b)
        return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rate: total / seconds(started), hits: hits / total }
      }
      await runOnce(Math.min(2000, requests), 0)
      for (const thinkMs of thinks) {
        const results = []
        for (let run = 1; run <= runs; run++) {
          const r = await runOnce(requests, thinkMs)
          results.push(r)
          console.log(`think ${thinkMs} ms, run ${run}: ${requests} requests, ${clients} clients: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.rate.toFixed(0)} req/s, ${r.hits.toFixed(0)} hits a query on average`)
        }
        console.log(`think ${thinkMs} ms, median of ${runs}: p50 ${median(results.map(r => r.p50)).toFixed(1)} ms, p95 ${median(results.map(r => r.p95)).toFixed(1)} ms, p99 ${median(results.map(r => r.p99)).toFixed(1)} ms, ${median(results.map(r => r.rate)).toFixed(0)} req/s`)
      }
    } finally {
      client.close()
      server.kill('SIGTERM')
    }
  })
}

if (mode === 'catchup') await catchUp(Number(args[0] ?? 100_000), Number(args[1] ?? 3))
else if (mode === 'latency') await latency(Number(args[0] ?? 1_000_000), Number(args[1] ?? 50), Number(args[2] ?? 20_000), Number(args[3] ?? 3), (args[4] ?? '0,1000').split(',').map(Number))
else throw new Error(`unknown mode ${mode}: catchup or latency`)
console.log(machine())
