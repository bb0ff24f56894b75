// Donors verify their phone or e-mail with a six-digit code before they may claim a wish:
// the family and the staff must be able to reach whoever holds it.
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'
import type { MessageSender } from '../messaging/senders.js'
import { consumeCode, sendCode } from './one-time-codes.js'

/** Sends a fresh code to the contact; returns it (shown on the page in demo mode only). */
export async function issueContactCode (db: Db, sender: MessageSender, userId: number, contact: string): Promise<string> {
  return sendCode(db, sender, userId, contact, 'contact')
}

export const codeInvalid = () => new AppError(400, 'code_invalid', '验证码错误或已过期，请重新获取 (wrong or expired code; request a new one)', [
  { field: 'body.code', code: 'code_invalid', message: '验证码错误或已过期，请重新获取' }
])

/** One try per code: a wrong code discards it. */
export async function confirmContactCode (db: Db, userId: number, code: string): Promise<void> {
  if (!await consumeCode(db, userId, code, 'contact')) throw codeInvalid()
  await db.updateTable('users').set({ contact_verified_at: new Date() }).where('id', '=', userId).execute()
}
