// Sign-in, sign-out (here and everywhere), the current session, password change, and
// donors' self-registration with contact verification.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type TProperties } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { invalidCredentials } from '../../../auth/errors.js'
import { decoyHash, verifyPassword, passwordProblems, MIN_PASSWORD_LENGTH } from '../../../auth/passwords.js'
import { clearSessionCookie, CSRF_FIELD, setSessionCookie } from '../../../auth/plugin.js'
import { createSession, deleteSession, deleteUserSessions } from '../../../auth/sessions.js'
import { ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT, beginPasswordAttempt, passwordAccepted, passwordRefused, THROTTLE_WINDOW_SECONDS, type PasswordAttempt } from '../../../auth/sign-in-throttle.js'
import { createUser, findUserByUsername, invalid, normaliseUsername, publicUser, setPassword, USERNAME_PATTERN, type UserRow } from '../../../auth/users.js'
import { confirmContactCode, contactCodeThrottle, issueContactCode } from '../../../auth/contact-verification.js'
import { sessionsEndedSchema, signOutEverywhere } from '../../../auth/sign-out-everywhere.js'
import { WindowCounter } from '../../../auth/window-counter.js'
import { tooManyAttempts, unauthenticated } from '../../../auth/errors.js'
import { ROLES, type Role } from '../../../auth/roles.js'

/** Form posts carry the CSRF token as a field; JSON clients send it as a header instead. */
export function formBody<T extends TProperties> (properties: T) {
  return Type.Object({ ...properties, [CSRF_FIELD]: Type.Optional(Type.String()) }, { additionalProperties: false })
}

export const userSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] })),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  organisationId: Type.Union([Type.Integer(), Type.Null()]),
  institutionId: Type.Union([Type.Integer(), Type.Null()]),
  donorId: Type.Union([Type.Integer(), Type.Null()]),
  contactVerified: Type.Boolean(),
  disabled: Type.Boolean(),
  createdAt: Type.String()
})

const sessionSchema = Type.Object({ user: userSchema, csrfToken: Type.String() })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 423: errorResponseSchema, 429: errorResponseSchema }
const SMALL_BODY = 16 * 1024
/** Registration creates rows; a handful per address and hour is plenty for people. */
const REGISTRATIONS_PER_HOUR = 10

/** A refused password check, and the lock-out or throttle it set off (each once), in the trail. */
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

export const authRoutes: FastifyPluginAsyncTypebox = async app => {
  const registrations = new WindowCounter(REGISTRATIONS_PER_HOUR, 3600_000)
  const throttleCodes = contactCodeThrottle()
  const signedInUser = async (userId: number): Promise<UserRow> =>
    app.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow()

  app.post('/api/v1/auth/sign-in', {
    config: { access: 'public' },
    bodyLimit: SMALL_BODY,
    schema: {
      tags: ['auth'],
      summary: '登录 / sign in with username and password (sets the session cookie)',
      body: formBody({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 400 }) }),
      response: { 200: sessionSchema, ...errors }
    }
  }, async (request, reply) => {
    const username = normaliseUsername(request.body.username)
    const attempt = await beginPasswordAttempt(app.db, username, request.ip)
    const user = await findUserByUsername(app.db, username)
    const passwordOk = await verifyPassword(request.body.password, user?.password_hash ?? await decoyHash)
    if (user === undefined || !passwordOk || user.disabled_at !== null) {
      const reason = user === undefined ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled'
      await auditRefusal(request, attempt, 'auth.sign_in_failed', user, reason)
      throw invalidCredentials()
    }
    const session = await app.db.transaction().execute(async trx => {
      await passwordAccepted(trx, attempt)
      // A fresh session id at every sign-in (no fixation); the old one, if any, ends.
      if (request.session) await deleteSession(trx, request.session.id)
      const created = await createSession(trx, user.id, { ip: request.ip, userAgent: request.headers['user-agent'] })
      await app.audit.record({
        actor: { id: user.id, name: user.username },
        action: 'auth.sign_in',
        record: { type: 'user', id: user.id, regionCode: user.region_code },
        ip: request.ip
      }, trx)
      return created
    })
    setSessionCookie(reply, app.config, session.token)
    request.principal = null
    return { user: publicUser(user), csrfToken: session.csrfToken }
  })

  app.get('/api/v1/auth/session', {
    config: { access: 'signed_in' },
    schema: { tags: ['auth'], summary: '当前登录用户 / the signed-in user and the CSRF token for forms', response: { 200: sessionSchema, 401: errorResponseSchema } }
  }, async request => {
    if (!request.principal || !request.session) throw unauthenticated()
    return { user: publicUser(await signedInUser(request.principal.userId)), csrfToken: request.session.csrfToken }
  })

  app.post('/api/v1/auth/sign-out', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: { tags: ['auth'], summary: '退出登录 / end this session', response: { 204: Type.Null(), ...errors } }
  }, async (request, reply) => {
    if (request.session) await deleteSession(app.db, request.session.id)
    clearSessionCookie(reply, app.config)
    return reply.status(204).send(null)
  })

  app.post('/api/v1/auth/sign-out-everywhere', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: {
      tags: ['auth'],
      summary: '在所有设备退出 / end every session of this user',
      response: { 200: sessionsEndedSchema, ...errors }
    }
  }, async (request, reply) => {
    const { userId, regionCode } = request.principal!
    clearSessionCookie(reply, app.config)
    return signOutEverywhere(request, { id: userId, regionCode }, 'auth.sign_out_everywhere')
  })

  app.post('/api/v1/auth/password', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: {
      tags: ['auth'],
      summary: '修改密码 / change the password (ends the other sessions)',
      body: formBody({ currentPassword: Type.String({ maxLength: 400 }), newPassword: Type.String({ maxLength: 400 }) }),
      response: { 204: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    const user = await signedInUser(request.principal!.userId)
    // Throttled like sign-in, on the same counts: a stolen session must not guess the password.
    const attempt = await beginPasswordAttempt(app.db, user.username, request.ip)
    if (!await verifyPassword(request.body.currentPassword, user.password_hash)) {
      await auditRefusal(request, attempt, 'auth.password_change_failed', user, 'wrong_password')
      throw invalidCredentials()
    }
    await passwordAccepted(app.db, attempt)
    const problems = passwordProblems(request.body.newPassword, user.username)
    if (problems.length > 0) throw invalid(problems.map(message => ({ field: 'body.newPassword', code: 'password_policy', message })))
    await app.db.transaction().execute(async trx => {
      await setPassword(trx, user.id, request.body.newPassword)
      await deleteUserSessions(trx, user.id, request.session?.id)
      await request.audit({ action: 'auth.password_changed', record: { type: 'user', id: user.id, regionCode: user.region_code } }, trx)
    })
    return reply.status(204).send(null)
  })

  app.post('/api/v1/auth/register', {
    config: { access: 'public' },
    bodyLimit: SMALL_BODY,
    schema: {
      tags: ['auth'],
      summary: '爱心人士/爱心企业注册 / donors register themselves; a code is sent to the contact',
      body: formBody({
        username: Type.String({ pattern: USERNAME_PATTERN }),
        password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 400 }),
        kind: Type.Union([Type.Literal('individual'), Type.Literal('enterprise')]),
        name: Type.String({ minLength: 1, maxLength: 100 }),
        contact: Type.String({ minLength: 5, maxLength: 100, pattern: '^(1[3-9][0-9]{9}|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$' })
      }),
      response: { 201: Type.Object({ user: userSchema }), ...errors, 409: errorResponseSchema }
    }
  }, async (request, reply) => {
    const wait = registrations.hit(request.ip, Date.now())
    if (wait !== undefined) throw tooManyAttempts(wait)
    const { username, password, kind, name, contact } = request.body
    throttleCodes({ contact, ip: request.ip })
    const isPhone = !contact.includes('@')
    const user = await app.db.transaction().execute(async trx => {
      const donor = await trx.insertInto('donors').values({ kind, name, phone: isPhone ? contact : null, email: isPhone ? null : contact })
        .returning('id').executeTakeFirstOrThrow()
      const row = await createUser(trx, { username, password, displayName: name, roles: ['donor'], donorId: donor.id, contact })
      await request.audit({ action: 'user.registered', record: { type: 'user', id: row.id }, after: { username: row.username, roles: row.roles, kind } }, trx)
      return row
    })
    await issueContactCode(app.db, app.contactVerifier, user.id, contact)
    return reply.status(201).send({ user: publicUser(user) })
  })

  app.post('/api/v1/auth/verify-contact', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: {
      tags: ['auth'],
      summary: '验证联系方式 / confirm the code sent to the contact',
      body: formBody({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
      response: { 204: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    await confirmContactCode(app.db, request.principal!.userId, request.body.code)
    return reply.status(204).send(null)
  })

  app.post('/api/v1/auth/verify-contact/resend', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: { tags: ['auth'], summary: '重新发送验证码 / send a new code', response: { 204: Type.Null(), ...errors } }
  }, async (request, reply) => {
    const user = await signedInUser(request.principal!.userId)
    if (!user.contact) throw invalid([{ field: 'contact', code: 'required', message: '账号没有联系方式' }])
    throttleCodes({ userId: user.id, contact: user.contact, ip: request.ip })
    await issueContactCode(app.db, app.contactVerifier, user.id, user.contact)
    return reply.status(204).send(null)
  })
}
