// Donors verify their phone or e-mail with a six-digit code. Sending is behind an interface:
// development logs the code; production plugs in an SMS or mail gateway.
import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'
import { newNumericCode, sameSecret, secretHash } from './secrets.js'

export interface ContactVerifier {
  send: (contact: string, code: string) => Promise<void>
}

export function loggingContactVerifier (log: FastifyBaseLogger): ContactVerifier {
  return {
    async send (contact, code) {
      log.info({ contact, code }, 'contact verification code (development: not actually sent)')
    }
  }
}

const CODE_TTL_SECONDS = 15 * 60

export async function issueContactCode (db: Db, verifier: ContactVerifier, userId: number, contact: string): Promise<void> {
  const code = newNumericCode()
  await db.updateTable('users').set({
    contact_code_hash: secretHash(code),
    contact_code_expires: sql<Date>`now() + make_interval(secs => ${CODE_TTL_SECONDS})`
  }).where('id', '=', userId).execute()
  await verifier.send(contact, code)
}

/** One try per code: a wrong code discards it, so six digits cannot be guessed. */
export async function confirmContactCode (db: Db, userId: number, code: string): Promise<void> {
  const row = await db.selectFrom('users')
    .select(['contact_code_hash', sql<boolean>`contact_code_expires > now()`.as('live')])
    .where('id', '=', userId).executeTakeFirstOrThrow()
  const matches = row.contact_code_hash !== null && row.live &&
    sameSecret(secretHash(code).toString('hex'), row.contact_code_hash.toString('hex'))
  await db.updateTable('users').set({
    contact_code_hash: null,
    contact_code_expires: null,
    ...(matches ? { contact_verified_at: new Date() } : {})
  }).where('id', '=', userId).execute()
  if (!matches) throw new AppError(400, 'code_invalid', '验证码错误或已过期，请重新获取 (wrong or expired code; request a new one)')
}
