// Access control for every route: security headers, cookies and form bodies, who is asking
// (cookie session or API token), the route's declared access rule (deny by default), the
// CSRF check for cookie sessions (and the same-origin check for public posts such as
// sign-in), and throttling of unknown routes.
//
// A route declares its rule in `config.access`:
//   'public'     anyone (sign-in, health),
//   'signed_in'  any signed-in user (their own session and password; not API tokens),
//   an Action    the policy's route-level gate (policy.ts); the handler then checks the
//                record itself (`ensureAllowed`) or lists through a scope (`regionScopeFor`).
// A route without a rule is refused with 403, for every user, and named in a warning at
// start-up; `app.routeRules` lists every route with its rule (the access-matrix test walks it).
import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import { EVIDENCE_MAX_BYTES } from '../files/evidence.js'
import helmet from '@fastify/helmet'
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify'
import type { Config } from '../config.js'
import { AppError } from '../http/errors.js'
import { findTokenUser } from './api-tokens.js'
import { configuredSender, type MessageSender } from '../messaging/senders.js'
import { accountLimits } from './accounts.js'
import { CSRF_FIELD, CSRF_HEADER } from './csrf.js'
import { csrfRejected, forbidden, tooManyAttempts, unauthenticated } from './errors.js'
import { authorize, isAction, type Action } from './policy.js'
import type { Principal } from './principal.js'
import { fromForeignPage } from './same-origin.js'
import { sameSecret } from './secrets.js'
import { findSession, SESSION_MAX_SECONDS } from './sessions.js'
import { principalOf } from './users.js'
import { WindowCounter } from './window-counter.js'

export type Access = 'public' | 'signed_in' | Action

/** A file posted by a page form, with the name it had on the person's device. */
export interface UploadedFile { fileName: string, content: Buffer }

/** A registered route and the rule it declared (undefined: none, so it is refused). */
export interface RouteRule {
  method: string
  url: string
  access: Access | undefined
  /** What the route validates (params, querystring, body, headers), for tests that walk every route. */
  schema: FastifySchema | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends codes and notifications to people's phones and e-mail (SMTP, an SMS hook, or the log). */
    messages: MessageSender
    /** Every route registered so far, each method on its own, with its access rule. */
    routeRules: readonly RouteRule[]
  }
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    principal: Principal | null
    /** The cookie session's id (hash) and CSRF token, when signed in by cookie. */
    session: { id: Buffer, csrfToken: string } | null
    /** A session cookie came that names no live session (it expired, or was ended elsewhere). */
    staleSession: boolean
  }
}

export interface AccessControlOptions {
  config: Config
  /** URL prefixes of routes registered by others that are public (health, API docs). */
  publicPrefixes: string[]
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Scanners probe hundreds of paths a minute; people mistype a few. */
const UNKNOWN_ROUTE_LIMIT = 60

export function sessionCookieName (config: Pick<Config, 'secureCookies'>): string {
  // __Host- makes browsers refuse the cookie unless it is Secure, host-only and path=/.
  return config.secureCookies ? '__Host-sq_session' : 'sq_session'
}

export function setSessionCookie (reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(sessionCookieName(config), token, {
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'lax',
    path: '/',
    maxAge: SESSION_MAX_SECONDS
  })
}

export function clearSessionCookie (reply: FastifyReply, config: Config): void {
  reply.clearCookie(sessionCookieName(config), { httpOnly: true, secure: config.secureCookies, sameSite: 'lax', path: '/' })
}

function bearerToken (request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header)
  return match?.[1]
}

function csrfTokenOf (request: FastifyRequest): string | undefined {
  const header = request.headers[CSRF_HEADER]
  if (typeof header === 'string') return header
  const body = request.body as Record<string, unknown> | null | undefined
  const field = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined
  return typeof field === 'string' ? field : undefined
}

export const accessControl = fp(async function accessControl (app: FastifyInstance, { config, publicPrefixes }: AccessControlOptions) {
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 64 * 1024 })
  // Page forms that send a file (a delivery photo from a phone's camera) are multipart. Their
  // fields are read before the CSRF check below, which needs the form's token.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    // The file arrives with its name, for the evidence record.
    onFile: async part => { (part as unknown as { value: UploadedFile }).value = { fileName: part.filename, content: await part.toBuffer() } },
    limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1, fields: 10, parts: 11 }
  })
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      // Pages load scripts and styles from our own origin only: no inline code.
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {})
      }
    },
    strictTransportSecurity: config.secureCookies ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false
  })

  app.decorate('messages', configuredSender(config, app.log))
  app.decorate('accountLimits', accountLimits())
  const routeRules: RouteRule[] = []
  app.decorate('routeRules', routeRules)
  app.decorateRequest('principal', null)
  app.decorateRequest('session', null)
  app.decorateRequest('staleSession', false)

  app.addHook('onRoute', route => {
    const url = route.url ?? ''
    if (route.config?.access === undefined && publicPrefixes.some(prefix => url === prefix || url.startsWith(`${prefix}/`))) {
      route.config = { ...route.config, access: 'public' }
    }
    for (const method of [route.method].flat()) routeRules.push({ method, url, access: route.config?.access, schema: route.schema })
  })

  app.addHook('onReady', async () => {
    for (const { method, url } of routeRules.filter(rule => rule.access === undefined)) {
      app.log.warn({ method, url }, 'route declares no access rule: every request to it is refused (403)')
    }
  })

  const unknownRoutes = new WindowCounter(UNKNOWN_ROUTE_LIMIT, 60_000)

  // Who is asking and whether the route lets them in, before the body is read: a stranger
  // must not make us buffer (or even receive) an upload of up to 64 MiB.
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) {
      const wait = unknownRoutes.hit(request.ip, Date.now())
      if (wait !== undefined) {
        reply.header('retry-after', String(wait))
        throw tooManyAttempts(wait)
      }
      return
    }
    await identify(request)
    const access = request.routeOptions.config.access
    if (access === undefined) throw forbidden('该接口未声明访问规则，默认拒绝')
    if (access === 'public') {
      // Public requests that change data (sign-in, registration) have no session token to check.
      if (!SAFE_METHODS.has(request.method) && fromForeignPage(request)) throw csrfRejected()
      return
    }
    const { principal } = request
    if (!principal) throw unauthenticated()
    if (access === 'signed_in' ? principal.kind === 'token' : !(isAction(access) && authorize(principal, access))) throw forbidden()
  })

  // After the body is parsed (the CSRF token may be a form field), before it is validated
  // (so that strangers learn nothing about a route's schema).
  app.addHook('preValidation', async request => {
    // API-token requests carry no ambient credentials, so only cookie sessions need this;
    // public posts were checked for their origin instead.
    if (request.is404 || !request.session || SAFE_METHODS.has(request.method) || request.routeOptions.config.access === 'public') return
    const given = csrfTokenOf(request)
    if (given === undefined || !sameSecret(given, request.session.csrfToken)) throw csrfRejected()
  })

  /** Sets the principal from the API token or the session cookie (none: anonymous). */
  async function identify (request: FastifyRequest): Promise<void> {
    const bearer = bearerToken(request)
    if (bearer !== undefined) {
      const found = await findTokenUser(app.db, bearer)
      if (!found) throw new AppError(401, 'unauthenticated', 'API 令牌无效、已过期或已撤销 (invalid, expired or revoked API token)')
      request.principal = principalOf(found.user, { id: found.tokenId, scopes: found.scopes })
      return
    }
    const token = request.cookies[sessionCookieName(config)]
    if (!token) return
    const session = await findSession(app.db, token)
    if (session) {
      request.principal = principalOf(session.user)
      request.session = { id: session.id, csrfToken: session.csrfToken }
    } else {
      request.staleSession = true
    }
  }
})
