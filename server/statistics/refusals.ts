// Help the duplicate check refused (a proposal's confirmation, a wish raised): the refusal
// rolls its transaction back, so it is written here afterwards, on the pool, once per subject
// — the figure "duplicate help prevented" counts what was refused and not given later with a
// written reason (refresh.ts). The refusal carries what it refused (DuplicateRefusalFacts);
// whoever catches it (the error handler, a page form, a batch) passes it here.
import type { FastifyRequest } from 'fastify'
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'

export interface RefusedHelp {
  /** 'proposal:12', or 'wish:<person>:<category>:<day>' for a wish not raised. */
  subject: string
  householdId: number
  regionCode: string
  /** The help kind (wish, fund, dream_room, training_voucher). */
  kind: string
  value: number
}

const REFUSED = Symbol('refused help')

/** Marks a duplicate refusal with what it refused. */
export function withRefusedHelp<E extends AppError> (error: E, help: RefusedHelp): E {
  return Object.assign(error, { [REFUSED]: help })
}

/** Records the refused help of a duplicate refusal (other errors pass by); never fails the request. */
export async function recordDuplicateRefusal (db: Db, error: unknown, log?: FastifyRequest['log']): Promise<void> {
  if (!(error instanceof AppError) || error.code !== 'duplicate_assistance') return
  const help = (error as AppError & { [REFUSED]?: RefusedHelp })[REFUSED]
  if (!help) return
  const rule = String(error.details[0]?.code ?? '')
  await db.insertInto('duplicate_refusals').values({ subject: help.subject, household_id: help.householdId, region_code: help.regionCode, kind: help.kind, rule, value: help.value })
    .onConflict(oc => oc.column('subject').doNothing()).execute()
    .catch(failure => log?.warn({ err: failure }, 'duplicate refusal not recorded for the statistics'))
}

/** The same, for a request's error: the request's own database and log. */
export function noteRefusal (request: FastifyRequest, error: unknown): Promise<void> {
  return recordDuplicateRefusal(request.server.db, error, request.log)
}
