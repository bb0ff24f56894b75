// The one audit mechanism, on the app (`app.audit.record`) and, with the actor and address
// filled in from the request, on each request (`request.audit`).
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { actorLabel } from '../auth/principal.js'
import { appendAudit, verifyAuditChain, type AuditActor, type AuditEntry, type AuditRecord, type ChainVerification } from './chain.js'

export type RequestAuditEntry = Omit<AuditEntry, 'actor' | 'ip'>

declare module 'fastify' {
  interface FastifyInstance {
    audit: {
      /** Appends a record; pass a transaction to commit it together with the change. */
      record: (entry: AuditEntry, executor?: Kysely<Database>) => Promise<AuditRecord>
      verify: () => Promise<ChainVerification>
    }
  }
  interface FastifyRequest {
    /** Appends a record naming the signed-in user (or token) and the client address. */
    audit: (entry: RequestAuditEntry, executor?: Kysely<Database>) => Promise<AuditRecord>
  }
}

export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'system' }

export function requestActor (request: FastifyRequest): AuditActor {
  const { principal } = request
  return principal ? { id: principal.userId, name: actorLabel(principal) } : { id: null, name: 'anonymous' }
}

export const auditTrail = fp(async function auditTrail (app: FastifyInstance) {
  app.decorate('audit', {
    record: (entry: AuditEntry, executor: Kysely<Database> = app.db) => appendAudit(executor, entry),
    verify: () => verifyAuditChain(app.db)
  })
  app.decorateRequest('audit', function (this: FastifyRequest, entry: RequestAuditEntry, executor: Kysely<Database> = app.db) {
    return appendAudit(executor, { ...entry, actor: requestActor(this), ip: this.ip })
  })
})
