// Donors verify their phone or e-mail with a six-digit code. Sending is behind an interface:
// development logs the code; production plugs in an SMS or mail gateway.
import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'
import { tooManyAttempts } from './errors.js'
import { newNumericCode, sameSecret, secretHash } from './secrets.js'
import { WindowCounter } from './window-counter.js'

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
const HOUR_MS = 3600_000
/** Every code is a message to someone's phone or inbox (and costs money): a few an hour per account and per contact… */
export const CODES_PER_TARGET_HOUR = 5
/** …and more per client address, which many people may share behind one NAT. */
export const CODES_PER_ADDRESS_HOUR = 20

export interface CodeRequest { userId?: number, contact: string, ip: string }

/**
 * A per-process limit on sending codes, so that nobody can flood a phone or run up the SMS
 * bill. The returned function counts one code and throws 429 when any key is over its limit.
 */
export function contactCodeThrottle (): (request: CodeRequest) => void {
  const perTarget = new WindowCounter(CODES_PER_TARGET_HOUR, HOUR_MS)
  const perAddress = new WindowCounter(CODES_PER_ADDRESS_HOUR, HOUR_MS)
  return ({ userId, contact, ip }) => {
    const now = Date.now()
    const waits = [
      userId === undefined ? undefined : perTarget.hit(`user:${userId}`, now),
      perTarget.hit(`contact:${contact}`, now),
      perAddress.hit(ip, now)
    ].filter(wait => wait !== undefined)
    if (waits.length > 0) throw tooManyAttempts(Math.max(...waits))
  }
}

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
