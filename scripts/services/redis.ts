// A private redis-server for bull. Debian's package is installed on demand when we are
// root; otherwise we stop with a message saying what to install.
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { launchService, portAnswers } from './process.js'
import type { RunningService } from './types.js'

export interface RedisOptions {
  dir: string
  port: number
  /** Keep queue state across restarts (npm start) or not at all (tests). */
  durable: boolean
  /** Abandons start-up (Ctrl-C): the half-started server is stopped again. */
  signal?: AbortSignal | undefined
  /** Restart it whenever it dies, logging through this (process.ts, `supervise`). */
  supervise?: ((line: string) => void) | undefined
}

function findRedisServer (): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() : undefined
}

export function ensureRedisServer (log: (line: string) => void = console.log): string {
  const existing = findRedisServer()
  if (existing) return existing
  if (process.getuid?.() !== 0) {
    throw new Error('redis-server is not installed. Install it with `sudo apt-get install redis-server`, or set REDIS_URL to an existing Redis.')
  }
  log('redis-server is missing: installing the Debian package (apt-get install redis-server) …')
  // RUNLEVEL=1 keeps invoke-rc.d from starting a system-wide Redis that we would not own.
  const install = spawnSync('sh', ['-c',
    'export DEBIAN_FRONTEND=noninteractive; ' +
    '(apt-get install -y -q --no-install-recommends redis-server || (apt-get update -q && apt-get install -y -q --no-install-recommends redis-server))'
  ], { stdio: 'inherit', env: { ...process.env, RUNLEVEL: '1' } })
  const installed = findRedisServer()
  if (install.status !== 0 || !installed) {
    throw new Error('Installing redis-server failed. Install it with `apt-get install redis-server`, or set REDIS_URL.')
  }
  return installed
}

export async function startRedis ({ dir, port, durable, signal, supervise }: RedisOptions): Promise<RunningService> {
  const binary = ensureRedisServer()
  mkdirSync(dir, { recursive: true })
  const logFile = join(dir, 'redis.log')
  const stop = await launchService({
    what: 'Redis',
    command: binary,
    args: [
      '--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes',
      '--dir', dir, '--daemonize', 'no', '--logfile', '',
      '--save', durable ? '60 1' : '', '--appendonly', 'no'
    ],
    files: { log: logFile, pid: join(dir, 'redis.pid') },
    options: { cwd: dir },
    ready: () => portAnswers(port),
    timeoutMs: 30_000,
    // SIGTERM makes redis-server save (when durable) and exit.
    stopSignal: 'SIGTERM',
    signal,
    supervise
  })
  return { url: `redis://127.0.0.1:${port}`, stop }
}
