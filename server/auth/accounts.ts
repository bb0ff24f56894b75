// What a person does with their own account — sign in, register as a donor, verify the
// contact, change the name, contact or password, reset a forgotten password — written once
// and called by the API (routes/api/v1/auth.ts) and the pages (routes/web/account.ts) alike,
// with the same limits, checks and audit records.
import type { FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { AppError } from '../http/errors.js'
import { invalidCredentials, tooManyAttempts } from './errors.js'
import { codeInvalid, confirmContactCode, issueContactCode } from './contact-verification.js'
import { formBody } from './csrf.js'
import { CODE_TTL_MINUTES, codeMessage, codeThrottle, consumeCode, storeCode, type CodeRequest } from './one-time-codes.js'
import { decoyHash, MIN_PASSWORD_LENGTH, passwordProblems, verifyPassword } from './passwords.js'
import { createSession, deleteSession, deleteUserSessions, type NewSession } from './sessions.js'
import { ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT, beginPasswordAttempt, passwordAccepted, passwordRefused, THROTTLE_WINDOW_SECONDS, type PasswordAttempt } from './sign-in-throttle.js'
import { createUser, findUserByUsername, invalid, normaliseUsername, setPassword, USERNAME_PATTERN, type UserRow } from './users.js'
import { WindowCounter } from './window-counter.js'
import { isEmailAddress } from '../messaging/senders.js'

// The bodies, shared by the API and the page forms (a form also carries its CSRF token).
const CONTACT_PATTERN = '^(1[3-9][0-9]{9}|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$'
const Contact = Type.String({ minLength: 5, maxLength: 100, pattern: CONTACT_PATTERN, description: '手机号或电子邮箱' })
const NewPassword = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 400 })
const Code = Type.String({ pattern: '^[0-9]{6}$', description: '6 位数字验证码' })
/** A username or a contact that belongs to exactly one account. */
const Login = Type.String({ minLength: 1, maxLength: 100 })

export const SignInBody = formBody({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 400 }) })
export const RegistrationBody = formBody({
  username: Type.String({ pattern: USERNAME_PATTERN, description: '3–40 位小写字母、数字或 . _ -' }),
  password: NewPassword,
  kind: Type.Union([Type.Literal('individual'), Type.Literal('enterprise')]),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  contact: Contact
})
export const VerifyContactBody = formBody({ code: Code })
export const PasswordChangeBody = formBody({ currentPassword: Type.String({ maxLength: 400 }), newPassword: Type.String({ maxLength: 400 }) })
export const AccountChangesBody = formBody({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  contact: Type.Optional(Contact)
})
export const ResetRequestBody = formBody({ login: Login })
export const ResetBody = formBody({ login: Login, code: Code, newPassword: NewPassword })

/** Per-process limits on what costs messages or rows; one set per app, shared by API and pages. */
export interface AccountLimits {
  registrations: WindowCounter
  codes: (request: CodeRequest) => void
}

/** Registration creates rows; a handful per address and hour is plenty for people. */
const REGISTRATIONS_PER_HOUR = 10

export function accountLimits (): AccountLimits {
  return { registrations: new WindowCounter(REGISTRATIONS_PER_HOUR, 3600_000), codes: codeThrottle() }
}

declare module 'fastify' {
  interface FastifyInstance {
    accountLimits: AccountLimits
  }
}

/**
 * A refused password check, and the lock-out or throttle it set off (each once), in the trail:
 * decided and written with the refusal, under the throttle's locks (sign-in-throttle.ts).
 */
async function auditRefusal (request: FastifyRequest, attempt: PasswordAttempt, action: string, user: UserRow | undefined, reason: string): Promise<void> {
  await passwordRefused(request.server.db, attempt, async (trx, consequences) => {
    // Never the password; and an unknown name only as "unknown": it may be a password typed in the wrong field.
    const record = user && { type: 'user', id: user.id, regionCode: user.region_code }
    const who = user ? { username: user.username } : {}
    await request.audit({ action, record, details: { ...who, reason } }, trx)
    if (consequences.accountLocked) await request.audit({ action: 'auth.locked_out', record, details: { ...who, failures: ACCOUNT_FAILURE_LIMIT, seconds: THROTTLE_WINDOW_SECONDS } }, trx)
    if (consequences.addressThrottled) await request.audit({ action: 'auth.address_throttled', details: { failures: ADDRESS_FAILURE_LIMIT, seconds: THROTTLE_WINDOW_SECONDS } }, trx)
  })
}

export interface SignedIn { user: UserRow, session: NewSession }

/**
 * Checks the password under the sign-in throttle and opens a fresh session (ending the one the
 * request came with: no session fixation). Throws 401, 423 or 429.
 */
export async function signIn (request: FastifyRequest, { username, password }: Static<typeof SignInBody>): Promise<SignedIn> {
  const { db } = request.server
  const name = normaliseUsername(username)
  const attempt = await beginPasswordAttempt(db, name, request.ip)
  const user = await findUserByUsername(db, name)
  const passwordOk = await verifyPassword(password, user?.password_hash ?? await decoyHash)
  if (user === undefined || !passwordOk || user.disabled_at !== null) {
    const reason = user === undefined ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled'
    await auditRefusal(request, attempt, 'auth.sign_in_failed', user, reason)
    throw invalidCredentials()
  }
  const session = await db.transaction().execute(async trx => {
    await passwordAccepted(trx, attempt)
    if (request.session) await deleteSession(trx, request.session.id)
    const created = await createSession(trx, user.id, { ip: request.ip, userAgent: request.headers['user-agent'] })
    await request.server.audit.record({
      actor: { id: user.id, name: user.username },
      action: 'auth.sign_in',
      record: { type: 'user', id: user.id, regionCode: user.region_code },
      ip: request.ip
    }, trx)
    return created
  })
  return { user, session }
}

/** Sends a message, or says plainly that it could not be sent (the gateway is down). */
async function sending<T> (request: FastifyRequest, send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    if (error instanceof AppError) throw error
    request.log.error({ err: error }, 'message not sent')
    throw new AppError(503, 'message_not_sent', '验证码发送失败，请稍后重试 (the message could not be sent)')
  }
}

export interface Registered extends SignedIn {
  /** The verification code sent to the contact: for the demo notice, never shown otherwise. */
  code: string
}

/** A donor registers (individual or enterprise), is signed in, and gets a code to verify the contact. */
export async function registerDonor (request: FastifyRequest, { username, password, kind, name, contact }: Static<typeof RegistrationBody>): Promise<Registered> {
  const app = request.server
  const wait = app.accountLimits.registrations.hit(request.ip, Date.now())
  if (wait !== undefined) throw tooManyAttempts(wait)
  app.accountLimits.codes({ contact, ip: request.ip })
  const email = isEmailAddress(contact)
  const { user, session } = await app.db.transaction().execute(async trx => {
    const donor = await trx.insertInto('donors').values({ kind, name, phone: email ? null : contact, email: email ? contact : null })
      .returning('id').executeTakeFirstOrThrow()
    const row = await createUser(trx, { username, password, displayName: name, roles: ['donor'], donorId: donor.id, contact })
    await request.audit({ action: 'user.registered', record: { type: 'user', id: row.id }, after: { username: row.username, roles: row.roles, kind } }, trx)
    return { user: row, session: await createSession(trx, row.id, { ip: request.ip, userAgent: request.headers['user-agent'] }) }
  })
  const code = await sending(request, () => issueContactCode(app.db, app.messages, user.id, contact))
  return { user, session, code }
}

async function currentUser (request: FastifyRequest): Promise<UserRow> {
  return request.server.db.selectFrom('users').selectAll().where('id', '=', request.principal!.userId).executeTakeFirstOrThrow()
}

export async function verifyContact (request: FastifyRequest, { code }: Static<typeof VerifyContactBody>): Promise<void> {
  const user = await currentUser(request)
  await confirmContactCode(request.server.db, user.id, code)
  await request.audit({ action: 'auth.contact_verified', record: { type: 'user', id: user.id, regionCode: user.region_code } })
}

/** A new code to the account's contact; returns it (for the demo notice). */
export async function resendContactCode (request: FastifyRequest): Promise<string> {
  const app = request.server
  const user = await currentUser(request)
  if (!user.contact) throw invalid([{ field: 'contact', code: 'required', message: '账号没有联系方式，请先在账号设置中填写' }])
  app.accountLimits.codes({ userId: user.id, contact: user.contact, ip: request.ip })
  return sending(request, () => issueContactCode(app.db, app.messages, user.id, user.contact as string))
}

/**
 * Changes the password after checking the current one under the sign-in throttle (a stolen
 * session must not guess it), and ends the account's other sessions.
 */
export async function changePassword (request: FastifyRequest, { currentPassword, newPassword }: Static<typeof PasswordChangeBody>): Promise<void> {
  const { db } = request.server
  const user = await currentUser(request)
  const attempt = await beginPasswordAttempt(db, user.username, request.ip)
  if (!await verifyPassword(currentPassword, user.password_hash)) {
    await auditRefusal(request, attempt, 'auth.password_change_failed', user, 'wrong_password')
    throw new AppError(401, 'invalid_credentials', '当前密码不正确 (wrong current password)', [{ field: 'body.currentPassword', code: 'invalid_credentials', message: '当前密码不正确' }])
  }
  await passwordAccepted(db, attempt)
  const problems = passwordProblems(newPassword, user.username)
  if (problems.length > 0) throw invalid(problems.map(message => ({ field: 'body.newPassword', code: 'password_policy', message })))
  await db.transaction().execute(async trx => {
    await setPassword(trx, user.id, newPassword)
    await deleteUserSessions(trx, user.id, request.session?.id)
    await request.audit({ action: 'auth.password_changed', record: { type: 'user', id: user.id, regionCode: user.region_code } }, trx)
  })
}

export interface AccountChanged {
  user: UserRow
  /** Set when the contact changed: the code sent to the new contact (for the demo notice). */
  code?: string
}

/**
 * The display name and the contact. A new contact is unverified until its code is confirmed;
 * a donor's contact is also the one the staff who work with donors see.
 */
export async function changeAccount (request: FastifyRequest, { displayName, contact }: Static<typeof AccountChangesBody>): Promise<AccountChanged> {
  const app = request.server
  const before = await currentUser(request)
  const contactChanges = contact !== undefined && contact !== before.contact
  if (contactChanges) app.accountLimits.codes({ userId: before.id, contact, ip: request.ip })
  const user = await app.db.transaction().execute(async trx => {
    const after = await trx.updateTable('users').set({
      display_name: displayName ?? before.display_name,
      ...(contactChanges ? { contact, contact_verified_at: null } : {}),
      updated_at: new Date()
    }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow()
    if (contactChanges && before.donor_id !== null) {
      const email = isEmailAddress(contact)
      await trx.updateTable('donors').set({ phone: email ? null : contact, email: email ? contact : null }).where('id', '=', before.donor_id).execute()
    }
    // Which fields changed, and the name; a contact is personal data and stays out of the trail.
    await request.audit({
      action: 'user.account_changed',
      record: { type: 'user', id: before.id, regionCode: before.region_code },
      before: { displayName: before.display_name },
      after: { displayName: after.display_name },
      details: { fields: [...(displayName !== undefined && displayName !== before.display_name ? ['displayName'] : []), ...(contactChanges ? ['contact'] : [])] }
    }, trx)
    return after
  })
  if (!contactChanges) return { user }
  return { user, code: await sending(request, () => issueContactCode(app.db, app.messages, user.id, contact)) }
}

/** The one answer to "forgot my password", whether or not the account exists. */
export const RESET_REQUESTED = `如果该账号存在且已验证联系方式，验证码已发送到其手机或邮箱，${CODE_TTL_MINUTES} 分钟内有效。`

/** The account a username names, or the one account whose verified contact this is. */
async function accountForLogin (request: FastifyRequest, login: string): Promise<UserRow | undefined> {
  const { db } = request.server
  const byName = await findUserByUsername(db, login)
  if (byName) return byName
  const byContact = await db.selectFrom('users').selectAll().where('contact', '=', login.trim()).where('contact_verified_at', 'is not', null).limit(2).execute()
  return byContact.length === 1 ? byContact[0] : undefined
}

/**
 * "Forgot my password": a code goes to the account's verified contact. The answer is the same
 * whether or not the account exists, has a verified contact, or is disabled — and so is the
 * limit on asking — so the form cannot be used to find out who has an account. Returns the
 * code when one was sent (for the demo notice only).
 */
export async function requestPasswordReset (request: FastifyRequest, { login }: Static<typeof ResetRequestBody>): Promise<string | undefined> {
  const app = request.server
  app.accountLimits.codes({ contact: `login:${normaliseUsername(login)}`, ip: request.ip })
  const user = await accountForLogin(request, login)
  if (!user || user.disabled_at !== null || user.contact === null || user.contact_verified_at === null) return undefined
  app.accountLimits.codes({ userId: user.id, contact: user.contact, ip: request.ip })
  const code = await storeCode(app.db, user.id, 'reset')
  // Not awaited: an answer that waits for the gateway would take longer for real accounts.
  app.messages.send(codeMessage('reset', user.contact, code)).catch(error => request.log.error({ err: error }, 'password reset code not sent'))
  return code
}

/** Sets a new password with a reset code (one try per code) and ends every session of the account. */
export async function resetPassword (request: FastifyRequest, { login, code, newPassword }: Static<typeof ResetBody>): Promise<void> {
  const app = request.server
  const user = await accountForLogin(request, login)
  // The policy first, so that a weak password does not use up the code; the same check for unknown accounts.
  const problems = passwordProblems(newPassword, user?.username ?? normaliseUsername(login))
  if (problems.length > 0) throw invalid(problems.map(message => ({ field: 'body.newPassword', code: 'password_policy', message })))
  if (!user || user.disabled_at !== null || !await consumeCode(app.db, user.id, code, 'reset')) throw codeInvalid()
  await app.db.transaction().execute(async trx => {
    await setPassword(trx, user.id, newPassword)
    const sessionsEnded = await deleteUserSessions(trx, user.id)
    await request.audit({ action: 'auth.password_reset', record: { type: 'user', id: user.id, regionCode: user.region_code }, details: { sessionsEnded } }, trx)
  })
}
