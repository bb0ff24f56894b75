// Administration (/admin/*): administrators; auditors read accounts of their region, the
// policy parameters and the search indexes' state; civil-affairs staff read and set the need
// rules of their region. The account acted on is one of its own, so that no principal of the
// matrix loses its password.
import { L, type PageRows, type PageWorld } from './world.js'
import { createUser } from '../../../../server/auth/users.js'
import { syncSearchIndex } from '../../../../server/search/outbox.js'

export async function setup ({ app }: PageWorld) {
  // The search pages check the wish index (the world's published wishes) against the database:
  // it exists once synced.
  await syncSearchIndex(app.db, app.meili, app.config.searchPrefix)
  const target = await createUser(app.db, { username: 'mz-matrix-target', displayName: '测试账号', password: 'a-long-password-1', roles: ['civil_affairs'], regionCode: '330503101' })
  return { target: target.id }
}

const NONE = 999999
//                                                 anon   adm    mzC    mzN    cs     dPer   dCom   inst   aud
export const rows: PageRows = {
  'GET /admin':                           { cells: [L, 200, 403, 403, 403, 403, 403, 403, 403], request: () => ({ url: '/admin' }) },
  'GET /admin/users':                     { cells: [L, 200, 403, 403, 403, 403, 403, 403, 200], request: () => ({ url: '/admin/users' }) },
  'GET /admin/users/new':                 { cells: [L, 200, 403, 403, 403, 403, 403, 403, 403], request: () => ({ url: '/admin/users/new' }) },
  'POST /admin/users · incomplete':       { cells: [L, 400, 403, 403, 403, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/admin/users', fields: { username: 'x' } }) },
  'GET /admin/users/:id':                 { cells: [L, 200, 403, 403, 403, 403, 403, 403, 200], request: ids => ({ url: `/admin/users/${ids.target}` }) },
  'POST /admin/users/:id · bad state':     { cells: [L, 400, 403, 403, 403, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/admin/users/${ids.target}`, fields: { disabled: 'maybe' } }) },
  'POST /admin/users/:id/password-reset · no such': { cells: [L, 404, 403, 403, 403, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/admin/users/${NONE}/password-reset` }) },
  'POST /admin/users/:id/sign-out-everywhere': { cells: [L, '→/admin/users/{target}', 403, 403, 403, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/admin/users/${ids.target}/sign-out-everywhere` }) },
  'POST /admin/users/:id/tokens · incomplete': { cells: [L, 400, 403, 403, 403, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/admin/users/${ids.target}/tokens`, fields: { name: '对接' } }) },
  'POST /admin/users/:id/tokens/:tokenId/revoke · no such': { cells: [L, 404, 403, 403, 403, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/admin/users/${ids.target}/tokens/${NONE}/revoke` }) },
  'GET /admin/policy':                    { cells: [L, 200, 200, 200, 200, 403, 403, 403, 200], request: () => ({ url: '/admin/policy' }) },
  'GET /admin/policy/:profile':           { cells: [L, 200, 200, 200, 200, 403, 403, 403, 200], request: () => ({ url: '/admin/policy/nanxun-2025' }) },
  'POST /admin/policy/:profile/parameters · incomplete': { cells: [L, 400, 403, 403, 403, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/admin/policy/nanxun-2025/parameters', fields: { value: '1' } }) },
  'GET /admin/need-rules':                { cells: [L, 200, 200, 200, 403, 403, 403, 403, 200], request: () => ({ url: '/admin/need-rules?regionCode=330503101' }) },
  'POST /admin/need-rules/:regionCode · bad category': { cells: [L, 400, 400, 400, 403, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/admin/need-rules/330503101', fields: { wishCategories: 'nonsense' } }) },
  'GET /admin/search':                    { cells: [L, 200, 403, 403, 403, 403, 403, 403, 200], request: () => ({ url: '/admin/search' }) },
  'GET /admin/search/:index/check':       { cells: [L, 200, 403, 403, 403, 403, 403, 403, 200], request: () => ({ url: '/admin/search/wishes/check' }) },
  'POST /admin/search/:index/repair':     { cells: [L, 200, 403, 403, 403, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/admin/search/wishes/repair' }) },
  'POST /admin/search/:index/reindex':    { cells: [L, '→/admin/search', 403, 403, 403, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/admin/search/wishes/reindex' }) },
  'POST /admin/search/:index/synonyms · one word': { cells: [L, 400, 403, 403, 403, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/admin/search/wishes/synonyms', fields: { groups: '书包' } }) }
}
