// The pages people use, measured as a browser would load them (issue 15), in two settings:
//
//   donor    — the demo data (2,000 households, their wishes, the demo donors' history) with the
//              HTTP server in its own process; C signed-in donors (each their own account and
//              claims) walk the donor pages in turn — home, wish search, a wish, projects, a
//              project, my claims, a claim, messages, recommendations, preferences,
//              notifications, account — pausing between pages after a think time drawn from an
//              exponential distribution of the given mean (0: back-to-back). Latency per page
//              (p50, p95, p99), the bytes of each page, and of the page with its assets.
//              node --import tsx bench/pages.bench.ts donor [clients=20] [requests=6000] [runs=3] [thinkMs=0,1000]
//
//   search   — the wish search page over N wishes in Meilisearch against the public API it shows,
//              the same queries for both, interleaved, at C clients: where the page's time goes
//              beyond the API's.
//              node --import tsx bench/pages.bench.ts search [documents=1000000] [clients=20] [requests=6000] [runs=3] [thinkMs=0,1000]
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { Meilisearch } from 'meilisearch'
import { createRandom, type Random } from '../matching/random.js'
import { DEMO_PASSWORD, seedDemoAccounts } from '../server/auth/demo-accounts.js'
import { createUser } from '../server/auth/users.js'
import type { Db } from '../server/db/database.js'
import { indexUid, prepareIndex } from '../server/search/indexes.js'
import { syncSearchIndex } from '../server/search/outbox.js'
import { today } from '../server/clock.js'
import { generateDataset } from '../scripts/demo-data/index.js'
import { loadDataset } from '../scripts/demo-data/load.js'
import { freePort } from '../scripts/services/process.js'
import type { StartedServices } from '../scripts/services/index.js'
import { machine, median, withDatabase } from './services.js'
import { donorQuery, indexDocuments, percentile } from './wish-documents.js'

const [mode = 'donor', ...args] = process.argv.slice(2)
const PREFIX = 'bench_'
const PASSWORD = 'bench-donor-password'
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9

interface Answer { status: number, bytes: number, cookie?: string }

/** A kept-alive client that reads whole answers (bytes, status, the session cookie). */
function client () {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const request = (url: string, options: { method?: string, body?: string, cookie?: string, type?: string } = {}): Promise<Answer> => new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }
    if (options.cookie) headers.cookie = options.cookie
    if (options.body !== undefined) { headers['content-type'] = options.type ?? 'application/json'; headers['content-length'] = String(Buffer.byteLength(options.body)) }
    const outgoing = http.request(url, { method: options.method ?? 'GET', headers, agent }, response => {
      let bytes = 0
      response.on('data', (chunk: Buffer) => { bytes += chunk.length })
      response.on('end', () => {
        const cookie = [response.headers['set-cookie'] ?? []].flat().find(c => c.startsWith('sq_session='))?.split(';')[0]
        resolve({ status: response.statusCode ?? 0, bytes, ...(cookie ? { cookie } : {}) })
      })
      response.on('error', reject)
    })
    outgoing.on('error', reject)
    outgoing.end(options.body)
  })
  return { request, close: () => agent.destroy() }
}

async function startServer (services: StartedServices, dataDir: string): Promise<{ base: string, server: ChildProcess }> {
  const port = await freePort()
  const server = fork(join(fileURLToPath(import.meta.url), '..', '..', 'server', 'main.ts'), [], {
    // PROFILE_DIR=… writes the server's CPU profile there (to see where a page's time goes).
    execArgv: ['--import', 'tsx', ...(process.env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : [])],
    env: {
      // Development mode keeps the demo logins (with their history) enabled; nothing else differs for the pages.
      ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', COOKIE_SECURE: 'false', DATA_DIR: dataDir,
      DATABASE_URL: services.databaseUrl, MEILI_URL: services.meiliUrl, MEILI_MASTER_KEY: services.meiliMasterKey, REDIS_URL: services.redisUrl,
      SEARCH_PREFIX: PREFIX, PII_ENCRYPTION_KEY: KEYS.pii, BLIND_INDEX_KEY: KEYS.blind
    }
  })
  await new Promise<void>((resolve, reject) => { server.on('message', () => resolve()); server.once('exit', code => reject(new Error(`server exited ${code}`))) })
  return { base: `http://127.0.0.1:${port}`, server }
}

const KEYS = { pii: randomBytes(32).toString('hex'), blind: randomBytes(32).toString('hex') }

interface Sample { page: string, ms: number, bytes: number }

/** C clients, each over its own list of paths, until `total` requests; latency and size per page name. */
async function drive (clients: Array<{ paths: Array<[string, string]>, cookie?: string }>, base: string, total: number, thinkMs: number, random: Random): Promise<{ samples: Sample[], rate: number }> {
  const samples: Sample[] = []
  let sent = 0
  const started = process.hrtime.bigint()
  await Promise.all(clients.map(async ({ paths, cookie }, c) => {
    const http = client()
    let i = c
    try {
      while (sent < total) {
        sent++
        if (thinkMs > 0) await new Promise(resolve => setTimeout(resolve, -Math.log(1 - random.next()) * thinkMs))
        const [page, path] = paths[i++ % paths.length] as [string, string]
        const t0 = process.hrtime.bigint()
        const answer = await http.request(base + path, cookie ? { cookie } : {})
        if (answer.status !== 200) throw new Error(`${path}: ${answer.status}`)
        samples.push({ page, ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: answer.bytes })
      }
    } finally {
      http.close()
    }
  }))
  return { samples, rate: total / seconds(started) }
}

function summarise (samples: Sample[]): Map<string, { p50: number, p95: number, p99: number, bytes: number }> {
  const byPage = new Map<string, Sample[]>()
  for (const sample of samples) byPage.set(sample.page, [...byPage.get(sample.page) ?? [], sample])
  byPage.set('all', samples)
  return new Map([...byPage].map(([page, list]) => {
    const ms = list.map(s => s.ms).sort((a, b) => a - b)
    return [page, { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), bytes: Math.max(...list.map(s => s.bytes)) }]
  }))
}

/** Each run's figures per page, then the median of the runs. */
async function measure (label: string, runs: number, thinks: number[], once: (thinkMs: number) => Promise<{ samples: Sample[], rate: number }>): Promise<void> {
  for (const thinkMs of thinks) {
    const results: Array<Map<string, { p50: number, p95: number, p99: number, bytes: number }>> = []
    const rates: number[] = []
    for (let run = 1; run <= runs; run++) {
      const { samples, rate } = await once(thinkMs)
      results.push(summarise(samples))
      rates.push(rate)
      console.log(`${label}, think ${thinkMs} ms, run ${run}: p95 ${results.at(-1)?.get('all')?.p95.toFixed(1)} ms, ${rate.toFixed(0)} req/s`)
    }
    console.log(`${label}, think ${thinkMs} ms, median of ${runs} runs (${median(rates).toFixed(0)} req/s):`)
    for (const page of results[0]?.keys() ?? []) {
      const of = (key: 'p50' | 'p95' | 'p99') => median(results.map(r => r.get(page)?.[key] ?? NaN)).toFixed(1)
      console.log(`  ${page.padEnd(22)} p50 ${of('p50').padStart(6)}  p95 ${of('p95').padStart(6)}  p99 ${of('p99').padStart(6)} ms   ${(results[0]?.get(page)?.bytes ?? 0) / 1000} kB`)
    }
  }
}

/** `count` donor accounts: the two demo logins (with their history), then new ones for generated donors (with their claims). */
async function donorAccounts (db: Db, count: number): Promise<Array<{ username: string, password: string, claims: number[] }>> {
  const demo = await db.selectFrom('users').select(['username', 'donor_id']).where('username', 'in', ['donor-person', 'donor-company']).execute()
  const others = await db.selectFrom('donors').select('id').where('id', 'not in', demo.map(d => d.donor_id as number)).orderBy('id').limit(Math.max(0, count - demo.length)).execute()
  const accounts = []
  for (const { username, donor_id: donorId } of demo) accounts.push({ username, password: DEMO_PASSWORD, donorId: donorId as number })
  for (const [i, { id }] of others.entries()) {
    const username = `bench-donor-${i}`
    await createUser(db, { username, password: PASSWORD, displayName: `爱心人士${i}`, roles: ['donor'], donorId: id, contact: `1390000${String(i).padStart(4, '0')}` })
    await db.updateTable('users').set({ contact_verified_at: new Date() }).where('username', '=', username).execute()
    accounts.push({ username, password: PASSWORD, donorId: id })
  }
  return Promise.all(accounts.slice(0, count).map(async ({ username, password, donorId }) => ({
    username, password, claims: (await db.selectFrom('claims').select('id').where('donor_id', '=', donorId).execute()).map(c => c.id)
  })))
}

async function donorPages (clients: number, requests: number, runs: number, thinks: number[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shanqiao-pages-bench-'))
  try {
    await withDatabase(async (db, services) => {
      const asOf = today()
      await seedDemoAccounts(db, { demo: true })
      await loadDataset(db, { piiEncryptionKey: Buffer.from(KEYS.pii, 'hex'), blindIndexKey: Buffer.from(KEYS.blind, 'hex') }, generateDataset({ seed: 2025, households: 2000, asOf }), { asOf, dataDir })
      const meili = new Meilisearch({ host: services.meiliUrl, apiKey: services.meiliMasterKey, timeout: 600_000 })
      await syncSearchIndex(db, meili, PREFIX)
      const accounts = await donorAccounts(db, clients)
      const wishes = (await db.selectFrom('wishes').select('id').where('state', '=', 'published').orderBy('id').limit(50).execute()).map(w => w.id)
      const projects = (await db.selectFrom('projects').select('id').where('status', 'in', ['open', 'closed']).execute()).map(p => p.id)
      const { base, server } = await startServer(services, dataDir)
      try {
        const random = createRandom('pages-bench')
        const sessions: Array<{ paths: Array<[string, string]>, cookie: string }> = []
        for (const account of accounts) {
          const signedIn = await client().request(`${base}/api/v1/auth/sign-in`, { method: 'POST', body: JSON.stringify({ username: account.username, password: account.password }) })
          if (!signedIn.cookie) throw new Error(`sign-in as ${account.username}: ${signedIn.status}`)
          const paths: Array<[string, string]> = [
            ['/', '/'], ['/wishes', '/wishes'], ['/wishes?q=', `/wishes?q=${encodeURIComponent(random.pick(['书包', '羽绒服', '轮椅', '学习用品', '米面油']))}`],
            ['/wishes/:id', `/wishes/${random.pick(wishes)}`], ['/projects', '/projects'], ['/projects/:id', `/projects/${random.pick(projects)}`],
            ['/me/claims', '/me/claims'], ...(account.claims.length > 0 ? [['/me/claims/:id', `/me/claims/${random.pick(account.claims)}`] as [string, string]] : []),
            ['/me/messages', '/me/messages'], ['/me/recommendations', '/me/recommendations'], ['/me/preferences', '/me/preferences'],
            ['/notifications', '/notifications'], ['/account', '/account']
          ]
          sessions.push({ paths, cookie: signedIn.cookie })
        }
        const assets = await client().request(`${base}/`)
        console.log(`donor pages: 2,000 households, ${accounts.length} signed-in donors; home page ${assets.bytes / 1000} kB of HTML`)
        await drive(sessions, base, Math.min(1000, requests), 0, random)
        await measure(`donor pages, ${clients} clients`, runs, thinks, thinkMs => drive(sessions, base, requests, thinkMs, random))
      } finally {
        server.kill('SIGTERM')
      }
    })
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function searchPage (count: number, clients: number, requests: number, runs: number, thinks: number[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shanqiao-pages-bench-'))
  try {
    await withDatabase(async (db, services) => {
      const meili = new Meilisearch({ host: services.meiliUrl, apiKey: services.meiliMasterKey, timeout: 600_000 })
      const uid = indexUid(PREFIX, 'wishes')
      await prepareIndex(db, meili, uid, 'wishes')
      const random = createRandom('pages-search-bench')
      const started = process.hrtime.bigint()
      await indexDocuments(meili, uid, count, random)
      console.log(`indexed ${(await meili.index(uid).getStats()).numberOfDocuments} documents in ${seconds(started).toFixed(0)} s`)
      const byTown = await meili.index(uid).search('', { facets: ['townCode'], limit: 0 })
      const towns = Object.keys(byTown.facetDistribution?.townCode ?? {})
      // The towns the page's filter lists (the region tree holds them; the documents only name them).
      await db.insertInto('regions').values({ code: '000000', name: '基准县', level: 'county', parent_code: null }).execute()
      await db.insertInto('regions').values(towns.map((code, i) => ({ code, name: `镇${i}`, level: 'town' as const, parent_code: '000000' }))).execute()
      const { base, server } = await startServer(services, dataDir)
      try {
        const queries = Array.from({ length: 3000 }, () => donorQuery(random, towns))
        // Page and API in turn with the same words, so that both meet the same caches.
        const paths: Array<[string, string]> = queries.flatMap(q => [['page /wishes', `/wishes?${q}`], ['api /public/wishes', `/api/v1/public/wishes?${q}`]] as Array<[string, string]>)
        const sessions = Array.from({ length: clients }, (_, c) => ({ paths: paths.slice(c * 2).concat(paths.slice(0, c * 2)) }))
        await drive(sessions, base, Math.min(2000, requests), 0, random)
        await measure(`search page over ${count} wishes, ${clients} clients`, runs, thinks, thinkMs => drive(sessions, base, requests, thinkMs, random))
      } finally {
        server.kill('SIGTERM')
      }
    })
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const thinks = (text: string | undefined) => (text ?? '0,1000').split(',').map(Number)
if (mode === 'donor') await donorPages(Number(args[0] ?? 20), Number(args[1] ?? 6000), Number(args[2] ?? 3), thinks(args[3]))
else if (mode === 'search') await searchPage(Number(args[0] ?? 1_000_000), Number(args[1] ?? 20), Number(args[2] ?? 6000), Number(args[3] ?? 3), thinks(args[4]))
else throw new Error(`unknown mode ${mode}: donor or search`)
console.log(machine())
