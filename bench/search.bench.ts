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
import { createRandom } from '../matching/random.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { loadDataset } from '../scripts/demo-data/load.js'
import { freePort } from '../scripts/services/process.js'
import { nodeHttpClient } from '../server/search/http-client.js'
import { indexUid, prepareIndex } from '../server/search/indexes.js'
import { syncSearchIndex } from '../server/search/outbox.js'
import { machine, median, withDatabase } from './services.js'
import { donorQuery, indexDocuments, percentile } from './wish-documents.js'

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

async function latency (count: number, clients: number, requests: number, runs: number, thinks: number[]): Promise<void> {
  await withDatabase(async (_db, services) => {
    const meili = new Meilisearch({ host: services.meiliUrl, apiKey: services.meiliMasterKey, timeout: 600_000 })
    const uid = indexUid(PREFIX, 'wishes')
    await prepareIndex(_db, meili, uid, 'wishes')
    const random = createRandom('search-bench')
    const indexing = process.hrtime.bigint()
    await indexDocuments(meili, uid, count, random)
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
