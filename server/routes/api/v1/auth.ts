// Sessions: sign in, the current session, sign out (here and everywhere).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { unauthenticated } from '../../../auth/errors.js'
import { signIn, SignInBody } from '../../../auth/accounts.js'
import { clearSessionCookie, setSessionCookie } from '../../../auth/plugin.js'
import { deleteSession } from '../../../auth/sessions.js'
import { sessionsEndedSchema, signOutEverywhere } from '../../../auth/sign-out-everywhere.js'
import { getUser, publicUser } from '../../../auth/users.js'
import { PublicUserSchema } from '../../../schemas/users.js'
import { EVERYWHERE } from '../../../db/scope.js'

const sessionSchema = Type.Object({ user: PublicUserSchema, csrfToken: Type.String() })
export const authErrors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 423: errorResponseSchema, 429: errorResponseSchema }
export const SMALL_BODY = 16 * 1024

export const authRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/auth/sign-in', {
    config: { access: 'public' },
    bodyLimit: SMALL_BODY,
    schema: { tags: ['auth'], summary: '登录 / sign in with username and password (sets the session cookie)', body: SignInBody, response: { 200: sessionSchema, ...authErrors } }
  }, async (request, reply) => {
    const { user, session } = await signIn(request, request.body)
    setSessionCookie(reply, app.config, session.token)
    return { user: publicUser(user), csrfToken: session.csrfToken }
  })

  app.get('/api/v1/auth/session', {
    config: { access: 'signed_in' },
    schema: { tags: ['auth'], summary: '当前登录用户 / the signed-in user and the CSRF token for forms', response: { 200: sessionSchema, 401: errorResponseSchema } }
  }, async request => {
    if (!request.principal || !request.session) throw unauthenticated()
    return { user: publicUser(await getUser(app.db, EVERYWHERE, request.principal.userId)), csrfToken: request.session.csrfToken }
  })

  app.post('/api/v1/auth/sign-out', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: { tags: ['auth'], summary: '退出登录 / end this session', response: { 204: Type.Null(), ...authErrors } }
  }, async (request, reply) => {
    if (request.session) await deleteSession(app.db, request.session.id)
    clearSessionCookie(reply, app.config)
    return reply.status(204).send(null)
  })

  app.post('/api/v1/auth/sign-out-everywhere', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: { tags: ['auth'], summary: '在所有设备退出 / end every session of this user', response: { 200: sessionsEndedSchema, ...authErrors } }
  }, async (request, reply) => {
    const { userId, regionCode } = request.principal!
    clearSessionCookie(reply, app.config)
    return signOutEverywhere(request, { id: userId, regionCode }, 'auth.sign_out_everywhere')
  })
}
