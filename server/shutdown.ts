/** Runs `stop` once on the first SIGINT/SIGTERM; a second signal forces the exit. */
export function onShutdownSignal (stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130)
    stopping = true
    stop(signal).then(() => process.exit(0), error => {
      console.error('shutdown failed', error)
      process.exit(1)
    })
  }
  process.on('SIGINT', handle)
  process.on('SIGTERM', handle)
}
