// Every page route against every kind of person, like the API's route matrix: the exact
// answer of each (a page, a refusal, a redirect to sign in, or where an action sends them),
// and a failure for any page route without an access rule or without a row — deny by default,
// so a new page is refused to everyone until someone decides who may open it. The rows live
// per area in page-matrix/ (see world.ts).
import t from 'tap'
import { readdirSync } from 'node:fs'
import type { LightMyRequestResponse } from 'fastify'
import { PageClient } from '../../helpers/pages.js'
import { isPagePath } from '../../../server/http/paths.js'
import { sessionCookieName } from '../../../server/auth/plugin.js'
import { createSession } from '../../../server/auth/sessions.js'
import { buildWorld, L, WHO, type Cell, type Ids, type PageRows, type PageWorld } from './page-matrix/world.js'

interface RowsModule { rows: PageRows, setup?: (world: PageWorld) => Promise<Ids> }

/** A sign-in redirect carries the way back (`next`); other redirects are named by where they go. */
function cellOf (response: LightMyRequestResponse): Cell {
  if (response.statusCode !== 303) return response.statusCode
  const location = String(response.headers.location)
  return location.startsWith('/login?next=') ? L : `→${location}`
}

t.test('every page route, every kind of person', async t => {
  const world = await buildWorld(t)
  const { app } = world
  const modules: RowsModule[] = []
  const folder = new URL('./page-matrix/', import.meta.url)
  for (const file of readdirSync(folder).filter(name => name.endsWith('.ts') && name !== 'world.ts').sort()) {
    modules.push(await import(new URL(file, folder).href) as RowsModule)
  }
  for (const module of modules) if (module.setup) Object.assign(world.ids, await module.setup(world))
  const rows: PageRows = Object.assign({}, ...modules.map(module => module.rows))

  const pageRoutes = app.routeRules.filter(rule => isPagePath(rule.url) && rule.method !== 'HEAD')
  t.same(pageRoutes.filter(rule => rule.access === undefined).map(rule => `${rule.method} ${rule.url}`), [], 'every page route declares who may open it')
  const rowRoutes = new Set(Object.keys(rows).map(row => row.split(' · ')[0]))
  t.same(pageRoutes.map(rule => `${rule.method} ${rule.url}`).filter(route => !rowRoutes.has(route)), [], 'every page route has a row')

  // Each cell starts from a session made as the sign-in form makes one (auth/sessions.ts), not
  // through the form: its deliberately slow password check, a thousand times over, would take
  // the matrix past the suite's time limit. The form itself has its rows (GET, POST /login).
  const users = new Map((await app.db.selectFrom('users').select(['id', 'username']).execute()).map(user => [user.username, user.id]))
  for (const [w, who] of WHO.entries()) {
    for (const [name, row] of Object.entries(rows)) {
      // A fresh browser for each cell: sign-outs and redirects must not leak into the next one.
      const browser = new PageClient(app, `10.20.${w}.1`)
      if (who !== 'anonymous') browser.cookies.set(sessionCookieName(app.config), (await createSession(app.db, users.get(who) as number, { ip: `10.20.${w}.1` })).token)
      // The page a person would be on (and, signed in, its forms' CSRF token).
      await browser.get(who === 'anonymous' ? '/wishes' : '/account')
      const { method = 'GET', url, fields } = row.request(world.ids, who)
      const response = method === 'GET' ? await browser.get(url) : await browser.post(url, fields ?? {})
      const wanted = String(row.cells[w]).replace('CLAIM', String(world.ids.claim)).replace('WHO', who).replace(/\{(\w+)\}/g, (_match, id: string) => String(world.ids[id]))
      t.equal(String(cellOf(response)), wanted, `${who}: ${name}`)
    }
  }
})
