// The worker's processors on a test app's own queues, as jobs/worker.ts registers them.
import pino from 'pino'
import type { FastifyInstance } from 'fastify'
import { registerProcessors } from '../../jobs/processors/index.js'
import type { JobContext } from '../../jobs/processors/context.js'

export function jobContext (app: FastifyInstance): JobContext {
  return { db: app.db, config: app.config, meili: app.meili, queues: app.queues, log: pino({ level: 'silent' }), messages: app.messages }
}

export function startWorker (app: FastifyInstance): void {
  registerProcessors(app.queues, jobContext(app))
}
