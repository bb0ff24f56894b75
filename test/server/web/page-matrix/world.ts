// The world the page matrix runs in, and the types of its rows. Each area's rows live in a
// file of their own beside this one (any *.ts but world.ts), exporting `rows` and, when its
// pages need records of their own, `setup(world)` returning their ids — so areas built side by
// side add files instead of editing one.
import type { FastifyInstance } from 'fastify'
import { appWithAccounts, signIn } from '../../../helpers/accounts.js'
import { insertRegionTree } from '../../../helpers/fixtures.js'
import { PNG, publishedWish, registerHousehold } from '../../../helpers/needs.js'

export const WHO = ['anonymous', 'admin', 'mz-county', 'mz-nanxun', 'cszh', 'donor-person', 'donor-company', 'training', 'auditor'] as const
export type Who = typeof WHO[number]

/**
 * A status, or for a redirect '→' and where it goes; '→login' (L) for the sign-in page with
 * the way back. CLAIM and WHO in a cell stand for the claim's id and the caller's name, and
 * {name} for the id of that name (a row file's setup returns it).
 */
export type Cell = number | `→${string}`
export const L = '→login' as const

export type Ids = Record<string, number>
export interface Row {
  cells: readonly Cell[]
  request: (ids: Ids, who: Who) => { method?: 'GET' | 'POST', url: string, fields?: Record<string, string> }
}
export type PageRows = Record<string, Row>

export interface PageWorld { app: FastifyInstance, ids: Ids }

/** Two towns' staff, a family in 南浔镇 with a published wish and one donor-person has claimed (with proof), a message and an open project. */
export async function buildWorld (t: { teardown: (fn: () => unknown) => void }): Promise<PageWorld> {
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
  const organisation = (await app.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()).id
  const project = (await app.db.insertInto('projects').values({ organisation_id: organisation, kind: 'fund', title: '助学金', budget: 10000, status: 'open' }).returning('id').executeTakeFirstOrThrow()).id
  return { app, ids: { household: family.id, wish: wish.id, project, claim, evidence, message } }
}
