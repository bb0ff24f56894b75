// Fulfilment: receipts recorded at once by several clerks append one chain entry and spend
// once; evidence over 5 MB is refused; a cancellation releases the committed budget; overdue
// fulfilments are listed in reach and flagged once; a winter-clothing project's tag reaches
// the chain, and the seasonal window then holds for the next winter-clothing run.
import t from 'tap'
import { EVIDENCE_MAX_BYTES } from '../../../server/files/evidence.js'
import { flagOverdueFulfilments } from '../../../server/proposals/fulfil.js'
import { today } from '../../../server/clock.js'
import { signIn } from '../../helpers/accounts.js'
import { insertProject, lastAudit, register, runFor, world, type World } from './setup.js'

const COATS = { kind: 'wish' as const, budget: 3000, unit_cost: 300, capacity: 10, eligibility: JSON.stringify({ categories: ['dibao'], tags: ['clothing', 'winter_clothing'] }) }
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)])

/** A run of a coat campaign for the given households; every proposal confirmed. */
async function confirmedCoats (w: World, households: number[]): Promise<{ project: number, proposals: Map<number, number> }> {
  const project = await insertProject(w.app, COATS)
  await runFor(w.charity, project)
  const open = (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })).json() as Array<{ id: number, householdId: number }>
  await w.county.call({ method: 'POST', url: '/api/v1/proposals/confirm', payload: { items: open.map(p => ({ id: p.id })) } })
  return { project, proposals: new Map(open.filter(p => households.includes(p.householdId)).map(p => [p.householdId, p.id])) }
}

async function delivered (w: World, proposal: number): Promise<void> {
  await w.charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/evidence?fileName=签收单.png`, headers: { 'content-type': 'image/png' }, payload: PNG })
  const response = await w.charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/delivered`, payload: {} })
  if (response.statusCode !== 200) throw new Error(response.body)
}

t.test('receipts recorded concurrently: one chain entry, spent once; the tag reaches the chain and the season window', async t => {
  const w = await world(t)
  const household = await register(w.county, '330503101001', 3600)
  const { project, proposals } = await confirmedCoats(w, [household])
  const proposal = proposals.get(household) as number
  await delivered(w, proposal)
  const clerks = [w.town, w.county, await signIn(w.app, 'mz-nanxun'), await signIn(w.app, 'mz-county'), w.town]
  const receipts = await Promise.all(clerks.map(clerk => clerk.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/received`, payload: {} })))
  t.same(receipts.map(r => r.statusCode), [200, 200, 200, 200, 200])
  t.equal(receipts.filter(r => r.json().appended).length, 1, 'one of them appended')
  t.equal(new Set(receipts.map(r => r.json().chainEntryId)).size, 1, 'all name the same entry')
  const chain = await w.app.db.selectFrom('assistance_entries').select(['kind', 'tags', 'value']).where('household_id', '=', household).execute()
  t.same(chain, [{ kind: 'wish', tags: ['clothing', 'winter_clothing'], value: 300 }])
  const ledger = await w.app.db.selectFrom('project_ledger').select(['movement', 'amount']).where('project_id', '=', project).orderBy('id').execute()
  t.same(ledger, [{ movement: 'commit', amount: 300 }, { movement: 'spend', amount: 300 }], 'spent once')
  t.equal((await w.app.db.selectFrom('audit_records').select('id').where('action', '=', 'fulfilment.received').execute()).length, 1)

  const nextCoats = await insertProject(w.app, COATS)
  t.match((await runFor(w.charity, nextCoats)).summary, { eligible: 0, excluded: { seasonal_duplicate: 1 } }, 'no second winter coat this season')
})

t.test('evidence over 5 MB is refused with 413', async t => {
  const w = await world(t)
  const household = await register(w.county, '330503101001', 3600)
  const proposal = (await confirmedCoats(w, [household])).proposals.get(household) as number
  const upload = (bytes: number) => w.charity.call({
    method: 'POST', url: `/api/v1/proposals/${proposal}/evidence?fileName=big.png`, headers: { 'content-type': 'image/png' },
    payload: Buffer.concat([PNG, Buffer.alloc(bytes - PNG.length)])
  })
  const justOver = await upload(EVIDENCE_MAX_BYTES + 1)
  t.equal(justOver.statusCode, 413)
  t.equal(justOver.json().error.code, 'payload_too_large')
  const farOver = await upload(EVIDENCE_MAX_BYTES + 64 * 1024)
  t.equal(farOver.statusCode, 413)
  t.equal(farOver.json().error.code, 'payload_too_large')
  t.equal((await upload(EVIDENCE_MAX_BYTES)).statusCode, 201, 'exactly 5 MB is accepted')
})

t.test('cancelling help not yet delivered releases its budget and its place', async t => {
  const w = await world(t)
  const [kept, dropped] = [await register(w.county, '330503101001', 3600), await register(w.county, '330503101001', 4800)]
  const { project, proposals } = await confirmedCoats(w, [kept, dropped])
  const other = await signIn(w.app, 'donor-person')
  t.equal((await other.call({ method: 'POST', url: `/api/v1/proposals/${proposals.get(dropped)}/cancel`, payload: { reason: '家庭已搬离' } })).statusCode, 403)
  const cancelled = await w.charity.call({ method: 'POST', url: `/api/v1/proposals/${proposals.get(dropped)}/cancel`, payload: { reason: '家庭已搬离本村' } })
  t.equal(cancelled.statusCode, 200, cancelled.body)
  t.match(cancelled.json(), { state: 'cancelled', cancelReason: '家庭已搬离本村' })
  t.match(await lastAudit(w.app, 'fulfilment.cancel'), { record_id: String(proposals.get(dropped)), after: { reason: '家庭已搬离本村' } })
  const { committed } = await w.app.db.selectFrom('projects').select('committed').where('id', '=', project).executeTakeFirstOrThrow()
  t.equal(committed, 300, 'the cancelled place\'s ¥300 is released')
  t.match(await w.app.db.selectFrom('project_ledger').select(['movement', 'amount', 'reference']).where('movement', '=', 'release').executeTakeFirst(), { amount: 300, reference: `proposal:${proposals.get(dropped)}` })
  t.equal((await w.charity.call({ method: 'POST', url: `/api/v1/proposals/${proposals.get(dropped)}/cancel`, payload: { reason: '再次取消' } })).json().error.code, 'not_in_progress')

  await delivered(w, proposals.get(kept) as number)
  t.equal((await w.town.call({ method: 'POST', url: `/api/v1/proposals/${proposals.get(kept)}/cancel`, payload: { reason: '误登记' } })).json().error.code, 'not_in_progress', 'delivered help is not cancelled')
  const cancelledList = (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals?status=cancelled` })).json()
  t.match(cancelledList, [{ id: proposals.get(dropped), reason: '家庭已搬离本村' }])
})

t.test('overdue fulfilments: listed within reach, flagged once by the sweep', async t => {
  const w = await world(t)
  const [late, onTime, elsewhere] = [await register(w.county, '330503101001', 3600), await register(w.county, '330503101001', 4800), await register(w.county, '330503102001', 3600)]
  const { proposals } = await confirmedCoats(w, [late, onTime, elsewhere])
  await w.app.db.updateTable('fulfilments').set({ due_on: '2020-01-10' }).where('proposal_id', 'in', [proposals.get(late) as number, proposals.get(elsewhere) as number]).execute()
  const listed = async (session: typeof w.town, query = '?overdue=true') => ((await session.call({ method: 'GET', url: `/api/v1/fulfilments${query}` })).json() as Array<{ proposalId: number }>).map(f => f.proposalId)
  t.same(await listed(w.town), [proposals.get(late)], '南浔镇 sees its own')
  t.same((await listed(w.county)).sort(), [proposals.get(late), proposals.get(elsewhere)].sort())
  t.same((await listed(w.charity)).length, 2, 'the organisation sees its projects\' overdue help')
  const stranger = await w.app.db.insertInto('organisations').values({ name: '别的慈善会', region_code: '330503' }).returning('id').executeTakeFirstOrThrow()
  const admin = await signIn(w.app, 'admin')
  const created = await admin.call({ method: 'POST', url: '/api/v1/users', payload: { username: 'other-charity', displayName: '别的慈善会', password: 'long-enough-pass-1', roles: ['charity_staff'], organisationId: stranger.id } })
  t.equal(created.statusCode, 201, created.body)
  const strangerStaff = await signIn(w.app, 'other-charity', 'long-enough-pass-1')
  t.same(await listed(strangerStaff), [], 'another organisation sees none of it')
  t.equal((await strangerStaff.call({ method: 'GET', url: `/api/v1/proposals/${proposals.get(late)}/fulfilment` })).statusCode, 403)
  t.equal((await strangerStaff.call({ method: 'POST', url: `/api/v1/proposals/${proposals.get(late)}/cancel`, payload: { reason: '不是我们的' } })).statusCode, 403)
  t.same(await listed(w.town, ''), [proposals.get(late), proposals.get(onTime)], 'without the filter: all of the town\'s, most overdue first')
  t.equal((await (await signIn(w.app, 'donor-person')).call({ method: 'GET', url: '/api/v1/fulfilments' })).statusCode, 403)

  t.same((await flagOverdueFulfilments(w.app.db, today())).sort(), [proposals.get(late), proposals.get(elsewhere)].sort())
  t.same(await flagOverdueFulfilments(w.app.db, today()), [], 'each once')
  t.match((await w.town.call({ method: 'GET', url: `/api/v1/proposals/${proposals.get(late)}/fulfilment` })).json(), { overdue: true, overdueSince: today() })
})

t.test('evidence: JPEG and PDF accepted while help is given, nothing after; another town neither rejects nor records receipt', async t => {
  const w = await world(t)
  const mine = await register(w.county, '330503101001', 3600)
  const theirs = await register(w.county, '330503102001', 3600)
  const { proposals } = await confirmedCoats(w, [mine])
  const proposal = proposals.get(mine) as number
  const upload = (fileName: string, type: string, payload: Buffer) =>
    w.charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/evidence?fileName=${encodeURIComponent(fileName)}`, headers: { 'content-type': type }, payload })
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60)])
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(60)])
  t.equal((await upload('现场.jpg', 'image/jpeg', jpeg)).statusCode, 201)
  t.equal((await upload('签收单.pdf', 'application/pdf', pdf)).statusCode, 201)
  t.same((await w.town.call({ method: 'GET', url: `/api/v1/proposals/${proposal}/fulfilment` })).json().evidence.map((e: { contentType: string }) => e.contentType).sort(), ['application/pdf', 'image/jpeg'])

  // 双林镇's proposal is out of 南浔镇's reach: not rejected, not received by its clerk.
  const other = (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${(await w.app.db.selectFrom('proposals').select('project_id').where('id', '=', proposal).executeTakeFirstOrThrow()).project_id}/proposals?status=confirmed` })).json()
    .find((p: { householdId: number }) => p.householdId === theirs)
  t.equal((await w.town.call({ method: 'POST', url: `/api/v1/proposals/${other.id}/received`, payload: {} })).statusCode, 404, 'receipt outside the region')
  const openElsewhere = await insertProject(w.app, { kind: 'fund', budget: 10000, unit_cost: 1000, capacity: 5, eligibility: JSON.stringify({ categories: ['dibao'] }) })
  await runFor(w.charity, openElsewhere)
  const candidate = (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${openElsewhere}/proposals` })).json().find((p: { householdId: number }) => p.householdId === theirs)
  t.equal((await w.town.call({ method: 'POST', url: `/api/v1/proposals/${candidate.id}/reject`, payload: { reason: '不在本镇' } })).statusCode, 404, 'rejection outside the region')

  await w.charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/delivered`, payload: {} })
  t.equal((await w.town.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/received`, payload: {} })).json().state, 'received')
  const late = await upload('补拍.jpg', 'image/jpeg', jpeg)
  t.equal(late.statusCode, 409)
  t.equal(late.json().error.code, 'fulfilment_closed', 'no evidence after the receipt')
})
