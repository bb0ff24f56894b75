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

/**
 * Starts a long-running service detached from our process group, output appended to
 * logFile, its pid kept in pidFile. A process left behind by a supervisor that was killed
 * outright (SIGKILL, power loss) is found through that pid file and stopped first.
 */
async function spawnService (command: string, args: string[], files: { log: string, pid: string }, options: SpawnOptions = {}): Promise<number> {
  await stopLeftover(files.pid, command)
  const log = openSync(files.log, 'a')
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', log, log] })
  closeSync(log)
  child.unref()
  if (child.pid === undefined) throw new Error(`could not start ${command}`)
  writeFileSync(files.pid, String(child.pid))
  return child.pid
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
}

/**
 * Starts a service and waits until it answers. A process that never gets there (it died,
 * timed out, or start-up was abandoned through `signal`) is stopped again before the error
 * is passed on: nobody else knows its pid yet. Returns the function that stops it.
 */
export async function launchService ({ what, command, args, files, options, ready, timeoutMs, stopSignal, graceMs, signal }: Launch): Promise<() => Promise<void>> {
  const pid = await spawnService(command, args, files, options)
  const stop = () => stopPid(pid, stopSignal, graceMs)
  try {
    await waitReady(what, pid, ready, timeoutMs, files.log, signal)
  } catch (error) {
    await stop()
    throw error
  }
  return stop
}
