// The HTTP server in its own process for the page benchmarks over a big registry (development
// mode with demo logins on, so mz-county, mz-nanxun and cszh can sign in), a signed-in cookie
// for a demo account, and a kept-alive client reading whole answers.
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { StartedServices } from '../scripts/services/index.js'
import { freePort } from '../scripts/services/process.js'

export interface PageServer { base: string, stop: () => void }

/** The server on a free port; `profileDir` writes its CPU profile there (node --cpu-prof). */
export async function startPageServer (services: StartedServices, profileDir?: string): Promise<PageServer> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'shanqiao-bench-data-'))
  const server = fork(join(fileURLToPath(import.meta.url), '..', '..', 'server', 'main.ts'), [], {
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    env: {
      ...process.env, NODE_ENV: 'development', SHANQIAO_DEMO: 'on', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', COOKIE_SECURE: 'false',
      DATA_DIR: dataDir,
      DATABASE_URL: services.databaseUrl, MEILI_URL: services.meiliUrl, MEILI_MASTER_KEY: services.meiliMasterKey, REDIS_URL: services.redisUrl,
      PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'), BLIND_INDEX_KEY: randomBytes(32).toString('hex')
    }
  })
  await new Promise<void>((resolve, reject) => { server.on('message', () => resolve()); server.once('exit', code => reject(new Error(`server exited ${code}`))) })
  return { base: `http://127.0.0.1:${port}`, stop: () => { server.kill('SIGTERM'); rmSync(dataDir, { recursive: true, force: true }) } }
}

/** The session cookie of a demo account, signed in through the API. */
export async function demoCookie (base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'shanqiao-demo-2025' }) })
  if (!response.ok) throw new Error(`sign-in ${username}: ${response.status}`)
  return (response.headers.get('set-cookie') ?? '').split(';')[0] as string
}

/** Pages over kept-alive node:http connections (the clients share the cores with what they measure). */
export function pageClient () {
  const agent = new http.Agent({ keepAlive: true })
  return {
    get: (url: string, cookie: string | undefined) => new Promise<{ status: number, body: string }>((resolve, reject) => {
      http.get(url, { agent, headers: cookie ? { cookie } : {} }, response => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        response.on('error', reject)
      }).on('error', reject)
    }),
    close: () => agent.destroy()
  }
}
