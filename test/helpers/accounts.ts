// Shared set-up for tests that act as a role: an app with the demo accounts, a second
// town (outside 南浔镇) and helpers to sign in and to call with a session.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { testApp } from './services.js'
import { DEMO_PASSWORD, seedDemoAccounts } from '../../server/auth/demo-accounts.js'

interface Teardown { teardown: (fn: () => unknown) => void }

export const OTHER_TOWN = '330503102'

export async function appWithAccounts (t: Teardown, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await testApp(t, env)
  await seedDemoAccounts(app.db, app.config)
  await app.db.insertInto('regions').values({ code: OTHER_TOWN, name: '双林镇', level: 'town', parent_code: '330503' })
    .onConflict(oc => oc.column('code').doNothing()).execute()
  return app
}

export interface Session {
  cookie: string
  csrf: string
  /** Injects with the session cookie and, for unsafe methods, the CSRF header. */
  call: (options: InjectOptions & { csrf?: boolean }) => Promise<LightMyRequestResponse>
}

export function signInRequest (app: FastifyInstance, username: string, password = DEMO_PASSWORD, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password }, remoteAddress })
}

export async function signIn (app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const response = await signInRequest(app, username, password)
  if (response.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${response.body}`)
  const cookie = response.cookies.find(c => c.name === 'sq_session')
  if (!cookie) throw new Error('no session cookie')
  const session: Session = {
    cookie: `sq_session=${cookie.value}`,
    csrf: response.json().csrfToken,
    call: ({ csrf = true, ...options }) => app.inject({
      ...options,
      headers: { ...options.headers, cookie: session.cookie, ...(csrf ? { 'x-csrf-token': session.csrf } : {}) }
    })
  }
  return session
}
