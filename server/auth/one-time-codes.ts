// Six-digit codes sent to a person's phone or e-mail: to verify the contact, and to reset a
// forgotten password. Stored only as a hash, with an expiry; one try per code — a wrong
// guess discards it — so six digits cannot be guessed, and a code works once.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { MessageSender, OutgoingMessage } from '../messaging/senders.js'
import { newNumericCode, secretHash } from './secrets.js'
import { tooManyAttempts } from './errors.js'
import { WindowCounter } from './window-counter.js'

export type CodePurpose = 'contact' | 'reset'

const COLUMNS = {
  contact: { hash: 'contact_code_hash', expires: 'contact_code_expires' },
  reset: { hash: 'reset_code_hash', expires: 'reset_code_expires' }
} as const

export const CODE_TTL_MINUTES = 15

const MESSAGES: Record<CodePurpose, { subject: string, text: (code: string) => string }> = {
  contact: {
    subject: '善桥 联系方式验证码',
    text: code => `【善桥】您的验证码是 ${code}，${CODE_TTL_MINUTES} 分钟内有效，仅可使用一次。如非本人操作，请忽略。`
  },
  reset: {
    subject: '善桥 重置密码验证码',
    text: code => `【善桥】您正在重置密码，验证码是 ${code}，${CODE_TTL_MINUTES} 分钟内有效，仅可使用一次。如非本人操作，请忽略，您的密码不会改变。`
  }
}

/** Stores a new code for the purpose (replacing any earlier one) and returns it. */
export async function storeCode (db: Db, userId: number, purpose: CodePurpose): Promise<string> {
  const code = newNumericCode()
  const { hash, expires } = COLUMNS[purpose]
  await db.updateTable('users').set({
    [hash]: secretHash(code),
    [expires]: sql<Date>`now() + make_interval(mins => ${CODE_TTL_MINUTES})`
  }).where('id', '=', userId).execute()
  return code
}

export function codeMessage (purpose: CodePurpose, to: string, code: string): OutgoingMessage {
  return { to, subject: MESSAGES[purpose].subject, text: MESSAGES[purpose].text(code) }
}

/** Stores a new code, sends it, and returns it. */
export async function sendCode (db: Db, sender: MessageSender, userId: number, contact: string, purpose: CodePurpose): Promise<string> {
  const code = await storeCode(db, userId, purpose)
  await sender.send(codeMessage(purpose, contact, code))
  return code
}

/** Whether the code is the user's live code for the purpose; either way the code is used up. */
export async function consumeCode (db: Db, userId: number, code: string, purpose: CodePurpose): Promise<boolean> {
  const { hash, expires } = COLUMNS[purpose]
  const clear = () => db.updateTable('users').set({ [hash]: null, [expires]: null }).where('id', '=', userId)
  // Compared and cleared in one statement: of two requests with the same code, one wins.
  const matched = await clear().where(hash, '=', secretHash(code)).where(expires, '>', sql<Date>`now()`).returning('id').executeTakeFirst()
  if (!matched) await clear().execute()
  return matched !== undefined
}

const HOUR_MS = 3600_000
/** Every code is a message to someone's phone or inbox (and costs money): a few an hour per account and per contact… */
export const CODES_PER_TARGET_HOUR = 5
/** …and more per client address, which many people may share behind one NAT. */
export const CODES_PER_ADDRESS_HOUR = 20

export interface CodeRequest { userId?: number | undefined, contact: string, ip: string }

/**
 * A per-process limit on sending codes, so that nobody can flood a phone or run up the SMS
 * bill. The returned function counts one code and throws 429 when any key is over its limit.
 */
export function codeThrottle (): (request: CodeRequest) => void {
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
