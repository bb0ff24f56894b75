// The HTTP server process. Started by scripts/start.ts (or directly in production).
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { seedDemoAccounts } from './auth/demo-accounts.js'
import { onShutdownSignal } from './shutdown.js'

try {
  const config = loadConfig()
  const app = await buildApp(config)
  // Every server start, however it is started: demo logins on in demo mode, off otherwise.
  const demoAccounts = await seedDemoAccounts(app.db, config)
  onShutdownSignal(async signal => {
    app.log.info({ signal }, 'shutting down: no new connections, draining requests')
    await app.close()
  })
  const address = await app.listen({ host: config.host, port: config.port })
  // Tells the launcher where we listen (PORT=0 picks a free port) and the logins to print.
  process.send?.({ type: 'ready', address, demoAccounts })
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}
