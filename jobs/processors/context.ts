// What every job processor is given: its own module, so that the processors and the
// registry that wires them (index.ts) do not import each other.
import type { Logger } from 'pino'
import type { Meilisearch } from 'meilisearch'
import type { Config } from '../../server/config.js'
import type { Db } from '../../server/db/database.js'
import type { MessageSender } from '../../server/messaging/senders.js'
import type { Queues } from '../queues.js'

export interface JobContext {
  db: Db
  config: Config
  meili: Meilisearch
  queues: Queues
  log: Logger
  /** Codes and notifications to people's phones and e-mail. */
  messages: MessageSender
}
