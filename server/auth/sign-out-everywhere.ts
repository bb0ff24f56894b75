// Ending every session of an account: for oneself (POST /api/v1/auth/sign-out-everywhere)
// and by an administrator (POST /api/v1/users/:id/sign-out-everywhere), one implementation,
// audited in the same transaction as the sessions are deleted.
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { deleteUserSessions } from './sessions.js'

export const sessionsEndedSchema = Type.Object({ sessionsEnded: Type.Integer() })

export async function signOutEverywhere (
  request: FastifyRequest,
  user: { id: number, regionCode: string | null },
  action: 'auth.sign_out_everywhere' | 'user.signed_out_everywhere'
): Promise<{ sessionsEnded: number }> {
  return request.server.db.transaction().execute(async trx => {
    const sessionsEnded = await deleteUserSessions(trx, user.id)
    await request.audit({ action, record: { type: 'user', id: user.id, regionCode: user.regionCode }, details: { sessionsEnded } }, trx)
    return { sessionsEnded }
  })
}
