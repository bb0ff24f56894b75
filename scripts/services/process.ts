// Small process helpers shared by the service launchers: free ports, readiness polling and
// stopping a detached process by pid. Services are started detached (their own process
// group) so that Ctrl-C reaches the HTTP server first and the supervisor can stop the
// database, search engine and Redis after it, in order.
import { spawn, type SpawnOptions } from 'node:child_process'
import { once } from 'node:events'
import { createServer, connect } from 'node:net'
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no TCP port available')
  return address.port
}

export function portAnswers (port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Polls `check` until it passes; fails early, with the end of the log, if the process dies,
 * and at once when `signal` is aborted (Ctrl-C during start-up).
 */
async function waitReady (what: string, pid: number, check: () => Promise<boolean>, timeoutMs: number, logFile: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    signal?.throwIfAborted()
    if (await check()) return
    if (!isAlive(pid)) throw new Error(`${what} exited during start-up:\n${logTail(logFile)}`)
    await sleep(100)
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s:\n${logTail(logFile)}`)
}

function logTail (logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')
  } catch {
    return `(no log at ${logFile})`
  }
}

export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Sends `signal`, waits for the process to exit, and kills it if it will not. */
export async function stopPid (pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return
  try { process.kill(pid, signal) } catch { return }
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return
    await sleep(50)
  }
  try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ }
}

interface Spawned {
  pid: number
  /** Settles when the process exits, however it ends. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

/**
 * Starts a long-running service detached from our process group, output appended to
 * logFile, its pid kept in pidFile. A process left behind by a supervisor that was killed
 * outright (SIGKILL, power loss) is found through that pid file and stopped first.
 */
async function spawnService (command: string, args: string[], files: { log: string, pid: string }, options: SpawnOptions = {}): Promise<Spawned> {
  await stopLeftover(files.pid, command)
  const log = openSync(files.log, 'a')
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', log, log] })
  closeSync(log)
  child.unref()
  if (child.pid === undefined) throw new Error(`could not start ${command}`)
  writeFileSync(files.pid, String(child.pid))
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => child.once('exit', (code, signal) => resolve({ code, signal })))
  return { pid: child.pid, exited }
}

async function stopLeftover (pidFile: string, command: string): Promise<void> {
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8'))
  rmSync(pidFile)
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return
  // The pid may have been reused by an unrelated process since: check what it runs.
  const running = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]
  if (running === command) await stopPid(pid)
}

export interface Launch {
  what: string
  command: string
  args: string[]
  files: { log: string, pid: string }
  options?: SpawnOptions
  ready: () => Promise<boolean>
  timeoutMs: number
  /** How the service likes to be stopped, and how long it may take. */
  stopSignal: NodeJS.Signals
  graceMs?: number
  signal?: AbortSignal | undefined
  /** Restart the service whenever it exits without being stopped, logging each time (see `supervise`). */
  supervise?: ((line: string) => void) | undefined
}

/** Starts the service and waits until it answers; one that never gets there is stopped again. */
async function startOnce ({ what, command, args, files, options, ready, timeoutMs, stopSignal, graceMs }: Launch, signal: AbortSignal | undefined): Promise<Spawned> {
  const spawned = await spawnService(command, args, files, options)
  try {
    await waitReady(what, spawned.pid, ready, timeoutMs, files.log, signal)
  } catch (error) {
    await stopPid(spawned.pid, stopSignal, graceMs)
    throw error
  }
  return spawned
}

/**
 * Starts a service and waits until it answers. A process that never gets there (it died,
 * timed out, or start-up was abandoned through `signal`) is stopped again before the error
 * is passed on: nobody else knows its pid yet. Returns the function that stops it.
 */
export async function launchService (launch: Launch): Promise<() => Promise<void>> {
  const first = await startOnce(launch, launch.signal)
  if (!launch.supervise) return () => stopPid(first.pid, launch.stopSignal, launch.graceMs)
  return supervise(launch, first, launch.supervise)
}

/** Waits before the n-th restart in a row: 1 s, 2 s, 4 s … at most 30 s. */
export const restartDelayMs = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 30_000)
/** A service that stayed up this long before it died starts the backoff afresh. */
const STABLE_MS = 60_000

/**
 * Keeps a started service running: when it exits without being stopped, it is started again
 * on the same port and data after a backoff that grows while it keeps dying, and each exit,
 * restart and failed restart is logged. The server and worker hold its address, so they
 * reconnect by themselves. Returns the function that stops it for good.
 */
function supervise (launch: Launch, first: Spawned, log: (line: string) => void): () => Promise<void> {
  const stopping = new AbortController()
  let current = first
  let attempt = 0
  let upSince = Date.now()
  let restart: Promise<void> | undefined
  const restartAfter = async ({ code, signal }: { code: number | null, signal: NodeJS.Signals | null }): Promise<void> => {
    attempt = Date.now() - upSince >= STABLE_MS ? 1 : attempt + 1
    log(`${launch.what} exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${restartDelayMs(attempt) / 1000} s`)
    for (;;) {
      await sleep(restartDelayMs(attempt), undefined, { signal: stopping.signal }).catch(() => {})
      if (stopping.signal.aborted) return
      try {
        current = await startOnce(launch, stopping.signal)
      } catch (error) {
        if (stopping.signal.aborted) return
        attempt += 1
        log(`${launch.what} did not restart (${(error as Error).message.split('\n')[0]}); trying again in ${restartDelayMs(attempt) / 1000} s`)
        continue
      }
      upSince = Date.now()
      log(`${launch.what} restarted (pid ${current.pid})`)
      watch(current)
      return
    }
  }
  const watch = (running: Spawned) => {
    void running.exited.then(exit => {
      if (!stopping.signal.aborted) restart = restartAfter(exit).finally(() => { restart = undefined })
    })
  }
  watch(first)
  return async () => {
    stopping.abort()
    // A restart under way gives up (stopping what it half-started); then the running one stops.
    await restart
    await stopPid(current.pid, launch.stopSignal, launch.graceMs)
  }
}
