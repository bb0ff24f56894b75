// Every page route against every kind of person, like the API's route matrix: the exact
// answer of each (a page, a refusal, a redirect to sign in, or where an action sends them),
// and a failure for any page route without an access rule or without a row here — deny by
// default, so a new page is refused to everyone until someone decides who may open it.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { PNG, publishedWish, registerHousehold } from '../../helpers/needs.js'
import { PageClient } from '../../helpers/pages.js'
import { isPagePath } from '../../../server/http/paths.js'

const WHO = ['anonymous', 'admin', 'mz-county', 'mz-nanxun', 'cszh', 'donor-person', 'donor-company', 'training', 'auditor'] as const
type Who = typeof WHO[number]

/** A status, or for a redirect '→' and where it goes ('→login' for the sign-in page with the way back). */
type Cell = number | `→${string}`
const L = '→login' as const

interface Ids { wish: number, project: number, claim: number, evidence: number, message: number }
interface Row { cells: readonly Cell[], request: (ids: Ids, who: Who) => { method?: 'GET' | 'POST', url: string, fields?: Record<string, string> } }

//                                                 anon   adm    mzC    mzN    cs     dPer   dCom   inst   aud
const ROWS: Record<string, Row> = {
  'GET /':                                { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/' }) },
  'GET /wishes':                          { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/wishes' }) },
  'GET /wishes/:id':                      { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: ids => ({ url: `/wishes/${ids.wish}` }) },
  'POST /wishes/:id/claim · no such wish': { cells: [L,    403,   403,   403,   403,   404,   404,   403,   403], request: () => ({ method: 'POST', url: '/wishes/999999/claim' }) },
  'GET /projects':                        { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/projects' }) },
  'GET /projects/:id':                    { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: ids => ({ url: `/projects/${ids.project}` }) },
  'GET /assets/:name':                    { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/assets/app.css' }) },
  'GET /login':                           { cells: [200,   '→/',  '→/',  '→/',  '→/',  '→/me/claims', '→/me/claims', '→/', '→/'], request: () => ({ url: '/login' }) },
  'POST /login · wrong password':         { cells: [401,   401,   401,   401,   401,   401,   401,   401,   401], request: (_ids, who) => ({ method: 'POST', url: '/login', fields: { username: `nobody-${who}`, password: 'wrong-password' } }) },
  'POST /logout':                         { cells: [L,     '→/',  '→/',  '→/',  '→/',  '→/',  '→/',  '→/',  '→/'], request: () => ({ method: 'POST', url: '/logout' }) },
  'GET /register':                        { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/register' }) },
  'POST /register · incomplete':          { cells: [400,   400,   400,   400,   400,   400,   400,   400,   400], request: () => ({ method: 'POST', url: '/register', fields: { kind: 'individual' } }) },
  'GET /account/verify':                  { cells: [L,     200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/account/verify' }) },
  'POST /account/verify · malformed code': { cells: [L,    400,   400,   400,   400,   400,   400,   400,   400], request: () => ({ method: 'POST', url: '/account/verify', fields: { code: '12' } }) },
  'POST /account/verify/resend · no contact': { cells: [L, 400,   400,   400,   400,   400,   400,   400,   400], request: () => ({ method: 'POST', url: '/account/verify/resend' }) },
  'GET /account':                         { cells: [L,     200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/account' }) },
  'POST /account · nothing changed':      { cells: [L,     '→/account', '→/account', '→/account', '→/account', '→/account', '→/account', '→/account', '→/account'], request: () => ({ method: 'POST', url: '/account' }) },
  'POST /account/password · wrong current': { cells: [L,   401,   401,   401,   401,   401,   401,   401,   401], request: () => ({ method: 'POST', url: '/account/password', fields: { currentPassword: 'not-it', newPassword: 'a-long-new-password' } }) },
  'POST /account/sign-out-everywhere':    { cells: [L,     '→/login', '→/login', '→/login', '→/login', '→/login', '→/login', '→/login', '→/login'], request: () => ({ method: 'POST', url: '/account/sign-out-everywhere' }) },
  'GET /password/forgot':                 { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/password/forgot' }) },
  'POST /password/forgot':                { cells: new Array(WHO.length).fill('→/password/reset?login=nobody-WHO'), request: (_ids, who) => ({ method: 'POST', url: '/password/forgot', fields: { login: `nobody-${who}` } }) },
  'GET /password/reset':                  { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/password/reset' }) },
  'POST /password/reset · wrong code':    { cells: [400,   400,   400,   400,   400,   400,   400,   400,   400], request: () => ({ method: 'POST', url: '/password/reset', fields: { login: 'nobody-here', code: '123456', newPassword: 'a-long-new-password' } }) },
  'GET /me/claims':                       { cells: [L,     403,   403,   403,   403,   200,   200,   403,   403], request: () => ({ url: '/me/claims' }) },
  'GET /me/claims/:id · donor-person\'s': { cells: [L,     403,   403,   403,   403,   200,   404,   403,   403], request: ids => ({ url: `/me/claims/${ids.claim}` }) },
  'GET /me/claims/:id/evidence/:evidenceId': { cells: [L,  403,   403,   403,   403,   200,   404,   403,   403], request: ids => ({ url: `/me/claims/${ids.claim}/evidence/${ids.evidence}` }) },
  'POST /me/claims/:id/evidence · no file': { cells: [L,   403,   403,   403,   403,   400,   404,   403,   403], request: ids => ({ method: 'POST', url: `/me/claims/${ids.claim}/evidence` }) },
  'POST /me/claims/:id/delivered · someone\'s claim': { cells: [L, 403, 403, 403, 403, '→/me/claims/CLAIM', 404, 403, 403], request: ids => ({ method: 'POST', url: `/me/claims/${ids.claim}/delivered` }) },
  'POST /me/claims/:id/cancel · no reason': { cells: [L,   403,   403,   403,   403,   400,   404,   403,   403], request: ids => ({ method: 'POST', url: `/me/claims/${ids.claim}/cancel` }) },
  'GET /me/messages':                     { cells: [L,     403,   403,   403,   403,   200,   200,   403,   403], request: () => ({ url: '/me/messages' }) },
  'POST /me/messages/:id/read · donor-person\'s': { cells: [L, 403, 403, 403, 403, '→/me/messages', 404, 403, 403], request: ids => ({ method: 'POST', url: `/me/messages/${ids.message}/read` }) },
  'POST /me/messages/read-all':           { cells: [L,     403,   403,   403,   403,   '→/me/messages', '→/me/messages', 403, 403], request: () => ({ method: 'POST', url: '/me/messages/read-all' }) },
  'GET /me/recommendations':              { cells: [L,     403,   403,   403,   403,   200,   200,   403,   403], request: () => ({ url: '/me/recommendations' }) },
  'GET /me/preferences':                  { cells: [L,     403,   403,   403,   403,   200,   200,   403,   403], request: () => ({ url: '/me/preferences' }) },
  'POST /me/preferences · negative amount': { cells: [L,   403,   403,   403,   403,   400,   400,   403,   403], request: () => ({ method: 'POST', url: '/me/preferences', fields: { minValue: '-1' } }) },
  'GET /notifications':                   { cells: [L,     200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/notifications' }) },
  'GET /notifications/:id · not mine':    { cells: [L,     404,   404,   404,   404,   404,   404,   404,   404], request: () => ({ url: '/notifications/999999' }) },
  'POST /notifications/:id/read · not mine': { cells: [L,  404,   404,   404,   404,   404,   404,   404,   404], request: () => ({ method: 'POST', url: '/notifications/999999/read' }) },
  'POST /notifications/read-all':         { cells: [L,     '→/notifications', '→/notifications', '→/notifications', '→/notifications', '→/notifications', '→/notifications', '→/notifications', '→/notifications'], request: () => ({ method: 'POST', url: '/notifications/read-all' }) }
}

/** A sign-in redirect carries the way back (`next`); other redirects are named by where they go. */
function cellOf (response: LightMyRequestResponse): Cell {
  if (response.statusCode !== 303) return response.statusCode
  const location = String(response.headers.location)
  return location.startsWith('/login?next=') ? L : `→${location}`
}

t.test('every page route, every kind of person', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '韩大平', birthDate: '1979-07-07', sex: 'male' }, { name: '韩小安', birthDate: '2015-07-07', sex: 'male', schoolStage: 'primary' }])
  const wish = await publishedWish(clerk, family.personIds[1] as number)
  const claimed = await publishedWish(clerk, family.personIds[0] as number, { category: 'clothing', item: '棉鞋' })
  const donor = await signIn(app, 'donor-person')
  const claim = (await donor.call({ method: 'POST', url: `/api/v1/wishes/${claimed.id}/claim` })).json().id as number
  const evidence = (await donor.call({ method: 'POST', url: `/api/v1/claims/${claim}/evidence?fileName=a.png`, headers: { 'content-type': 'image/png' }, payload: PNG })).json().id as number
  const donorId = (await app.db.selectFrom('users').select('donor_id').where('username', '=', 'donor-person').executeTakeFirstOrThrow()).donor_id as number
  const message = (await app.db.insertInto('donor_messages').values({ donor_id: donorId, kind: 'impact', body: '成效说明', sender: '南浔区慈善总会' }).returning('id').executeTakeFirstOrThrow()).id
  const project = (await app.db.insertInto('projects').values({ organisation_id: (await app.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()).id, kind: 'fund', title: '助学金', budget: 10000, status: 'open' }).returning('id').executeTakeFirstOrThrow()).id
  const ids: Ids = { wish: wish.id, project, claim, evidence, message }

  const pageRoutes = app.routeRules.filter(rule => isPagePath(rule.url) && rule.method !== 'HEAD')
  t.same(pageRoutes.filter(rule => rule.access === undefined).map(rule => `${rule.method} ${rule.url}`), [], 'every page route declares who may open it')
  const rowRoutes = new Set(Object.keys(ROWS).map(row => row.split(' · ')[0]))
  t.same(pageRoutes.map(rule => `${rule.method} ${rule.url}`).filter(route => !rowRoutes.has(route)), [], 'every page route has a row here')

  for (const [w, who] of WHO.entries()) {
    for (const [name, row] of Object.entries(ROWS)) {
      // A fresh browser for each cell: sign-outs and redirects must not leak into the next one.
      const browser = new PageClient(app, `10.20.${w}.1`)
      if (who !== 'anonymous') await browser.signIn(who)
      // The page a person would be on (and, signed in, its forms' CSRF token).
      await browser.get(who === 'anonymous' ? '/wishes' : '/account')
      const { method = 'GET', url, fields } = row.request(ids, who)
      const response = method === 'GET' ? await browser.get(url) : await browser.post(url, fields ?? {})
      const wanted = String(row.cells[w]).replace('CLAIM', String(claim)).replace('WHO', who)
      t.equal(String(cellOf(response)), wanted, `${who}: ${name}`)
    }
  }
})
