// What is running, read from /proc: the launcher tests check that nothing they started is
// left behind, however it was started (detached services, forked children).
import { readdirSync, readFileSync } from 'node:fs'

function pids (): number[] {
  return readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number)
}

function read (path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined // the process ended while we looked
  }
}

/** Live processes whose command line mentions `text` (e.g. a data directory). */
export function processesMentioning (text: string): number[] {
  return pids().filter(pid => pid !== process.pid && read(`/proc/${pid}/cmdline`)?.includes(text))
}

/** Live direct children of `parent`. */
export function childrenOf (parent: number): number[] {
  return pids().filter(pid => {
    const stat = read(`/proc/${pid}/stat`)
    // "pid (command) state ppid …": the command may hold spaces, so read after the last ')'.
    return stat !== undefined && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent
  })
}

/** Whether a process with this pid still runs (zombies count as gone). */
export function running (pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`)
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
}

/** The command line of a process, for messages ('' once it has gone). */
export function commandLine (pid: number): string {
  return read(`/proc/${pid}/cmdline`)?.split('\0').join(' ').trim() ?? ''
}

/**
 * This environment without what tap adds for its own children (NODE_OPTIONS loads its
 * process-info hook into every Node process): a launcher started from a test, and all it
 * forks, then runs as it does from a terminal — and is timed as such.
 */
export function withoutTap (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'NODE_OPTIONS' && !/^(TAP|_TAPJS_)/.test(name)))
}
