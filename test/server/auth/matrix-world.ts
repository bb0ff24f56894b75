// The one world the route matrix (route-matrix.test.ts) runs in: 南浔区 with two towns, 南浔镇
// (T1) and 双林镇 (T2), each with registered families, wishes (published, claimed, awaiting
// verification), a claim with proof, fund applications to two charities' projects (confirmed
// ones being fulfilled), a voucher seated in a course, a dream room, an assistance entry, an
// import and the audit records of all that; two charities, two training institutions, and a
// principal of every role on each side of every boundary. The administrator makes the records
// through the API; rows no route writes (a second charity and institution, donor messages,
// voucher children) are inserted as the other tests insert them. `fresh` makes another record
// of a kind for a probe that uses one up.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { makeResidentId } from '../../../matching/resident-id.js'
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts.js'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { PASSWORD, PNG, syncIndex } from '../../helpers/needs.js'
import { insertChild, NOW } from '../vouchers/fixtures.js'
import { loadMonitoringContext } from '../../../server/monitoring/context.js'
import { raiseWarnings } from '../../../server/monitoring/warnings.js'
import { resolveRules } from '../../../matching/monitoring/index.js'
import { today } from '../../../server/clock.js'

interface Teardown { teardown: (fn: () => unknown) => void }

export const WHO = [
  'anonymous', 'admin', 'mz-county', 'mz-nanxun', 'mz-shuanglin', 'cszh', 'cs-shuanglin',
  'donor-person', 'donor-company', 'training', 'training-b', 'auditor', 'audit-nanxun'
] as const
export type Who = (typeof WHO)[number]

export const TOWNS = {
  T1: { code: '330503101', village: '330503101001', name: '南浔镇' },
  T2: { code: '330503102', village: '330503102001', name: '双林镇' }
} as const
export type Town = keyof typeof TOWNS

/** The two charities: 南浔区慈善总会 (cszh's) and 双林镇慈善分会 (cs-shuanglin's). */
export type Org = 'A' | 'B'

/** Each town's wishes are claimed by a donor of its own, so that each donor has a claim the other must not see. */
const CLAIMANT: Record<Town, Who> = { T1: 'donor-person', T2: 'donor-company' }

/** The accounts the administrator creates, besides the demo ones. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'mz-shuanglin': { roles: ['civil_affairs'], regionCode: TOWNS.T2.code },
  'audit-nanxun': { roles: ['auditor'], regionCode: TOWNS.T1.code },
  'cs-shuanglin': { roles: ['charity_staff'], organisation: 'B' },
  'training-b': { roles: ['institution'], institution: 'B' },
  // the account the user-management probes change, so that no probe's own session ends
  'mz-target': { roles: ['civil_affairs'], regionCode: TOWNS.T1.code }
}

export type Request = Omit<InjectOptions, 'method'> & { url: string }

export interface Fresh {
  household: (town: Town) => Promise<{ id: number, head: number, child: number }>
  /** A school-supplies wish of the person (default: the child of a new household). */
  wish: (town: Town, state: 'draft' | 'submitted' | 'verified' | 'published', personId?: number) => Promise<number>
  /** A claim of the town's claimant, with its proof. */
  claim: (town: Town, state: 'active' | 'delivered') => Promise<number>
  /** An open fund application of the household (default: a new one) to the charity's fund project. */
  proposal: (town: Town, org: Org, householdId?: number) => Promise<number>
  /** A confirmed proposal of the charity's fund project (default 南浔区慈善总会's), being fulfilled: evidenced has its proof. */
  fulfilment: (town: Town, state: 'in_progress' | 'evidenced' | 'delivered', householdId?: number, org?: Org) => Promise<number>
  /** A voucher of a new child of the town, paid by the town's charity, issued or seated in 阳光培训学校's course. */
  voucher: (town: Town, state: 'issued' | 'assigned') => Promise<number>
  /** A surveyed room with its survey evidence, funded by 南浔区慈善总会 or by nobody. */
  room: (town: Town, funded: boolean, personId?: number) => Promise<number>
  entry: (town: Town, householdId?: number) => Promise<number>
  project: (org: Org, status: 'draft' | 'open') => Promise<number>
  token: () => Promise<number>
  /** An open warning (a working-age member's death) of the household (default: a new one of the town). */
  warning: (town: Town, household?: { id: number, head: number }) => Promise<number>
}

export interface World {
  app: FastifyInstance
  /** Named records: 'household.T1', 'wish.T2.published', 'user.mz-nanxun', 'project.fundA' … */
  ids: ReadonlyMap<string, number | string>
  id: (name: string) => number
  /** As `who` (anonymous: no session); `spare` uses a session of its own, for probes that end theirs. */
  call: (who: Who, request: Request & { method: string }, spare?: boolean) => Promise<LightMyRequestResponse>
  /** Signs `who` in again (after a probe ended every session of theirs). */
  renew: (who: Who) => Promise<void>
  password: (who: Who) => string
  fresh: Fresh
  /** A new household's registration body: two members with ID numbers no one holds yet. */
  newHousehold: (town: Town) => Record<string, unknown>
}

let people = 0
const yearsAgo = (years: number) => `${new Date().getFullYear() - years}-03-05`

function newHousehold (town: Town): Record<string, unknown> {
  const member = (name: string, birthDate: string, relation: string, extra: Record<string, unknown>) =>
    ({ name, idNumber: makeResidentId('330503', birthDate, ++people * 2, 'male'), relation, ...extra })
  return {
    regionCode: TOWNS[town].village, annualIncome: 3000, propertyCompliant: true, address: '东大街 12 号', phone: '13905721234',
    members: [
      member('张建国', '1980-06-15', 'head', { laborCapacity: 'weak', hasIncomeSource: false }),
      member('张小明', yearsAgo(9), 'child', { laborCapacity: 'none', schoolStage: 'primary' })
    ]
  }
}

function ok (response: LightMyRequestResponse, what: string): any {
  if (response.statusCode >= 300) throw new Error(`${what}: ${response.statusCode} ${response.body}`)
  return response.statusCode === 204 ? null : response.json()
}

export async function buildWorld (t: Teardown): Promise<World> {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const ids = new Map<string, number | string>()
  const id = (name: string): number => {
    const value = ids.get(name)
    if (typeof value !== 'number') throw new Error(`no record named ${name}`)
    return value
  }
  const named = <T extends number | string>(name: string, value: T): T => { ids.set(name, value); return value }
  for (const [town, { code }] of Object.entries(TOWNS)) named(`town.${town}`, code)

  const sessions = new Map<Who, Session>([['admin', await signIn(app, 'admin')]])
  const as = (who: Who, what: string, request: Request & { method: string }) => (sessions.get(who) as Session).call(request as InjectOptions).then(r => ok(r, what))
  const byAdmin = (what: string, request: Request & { method: string }) => as('admin', what, request)

  const organisation = {
    A: named('organisation.A', (await app.db.selectFrom('organisations').select('id').where('name', '=', '南浔区慈善总会').executeTakeFirstOrThrow()).id),
    B: named('organisation.B', (await app.db.insertInto('organisations').values({ name: '双林镇慈善分会', region_code: TOWNS.T2.code }).returning('id').executeTakeFirstOrThrow()).id)
  }
  const institution = {
    A: named('institution.A', (await app.db.selectFrom('institutions').select('id').where('name', '=', '南浔区阳光培训学校').executeTakeFirstOrThrow()).id),
    B: named('institution.B', (await app.db.insertInto('institutions').values({ name: '双林镇启航培训中心', region_code: TOWNS.T2.code }).returning('id').executeTakeFirstOrThrow()).id)
  }

  for (const [username, { organisation: org, institution: inst, ...binding }] of Object.entries(ACCOUNTS)) {
    await byAdmin(`account ${username}`, {
      method: 'POST', url: '/api/v1/users',
      payload: {
        username, displayName: username, password: PASSWORD, ...binding,
        ...(org ? { organisationId: organisation[org as Org] } : {}), ...(inst ? { institutionId: institution[inst as Org] } : {})
      }
    })
  }
  for (const user of await app.db.selectFrom('users').select(['id', 'username', 'donor_id']).execute()) {
    named(`user.${user.username}`, user.id)
    if (user.donor_id !== null) named(`donor.${user.username}`, user.donor_id)
  }

  const password = (who: Who) => who in ACCOUNTS ? PASSWORD : DEMO_PASSWORD
  const renew = async (who: Who) => { sessions.set(who, await signIn(app, who, password(who))) }
  for (const who of WHO) if (who !== 'anonymous' && who !== 'admin') await renew(who)
  const call = async (who: Who, { method, ...request }: Request & { method: string }, spare = false) => {
    if (who === 'anonymous') return app.inject({ method: method as InjectOptions['method'], ...request })
    const session = spare ? await signIn(app, who, password(who)) : sessions.get(who) as Session
    return session.call({ method: method as InjectOptions['method'], ...request })
  }

  const project = async (org: Org, kind: string, status: 'draft' | 'open', extra: Record<string, unknown> = {}) => {
    const created = await byAdmin(`project of ${org}`, {
      method: 'POST', url: '/api/v1/projects',
      payload: { kind, title: `${kind} 项目`, budget: 10_000_000, eligibility: { regionCodes: [TOWNS.T1.code, TOWNS.T2.code] }, organisationId: organisation[org], ...extra }
    })
    if (status === 'open') await byAdmin('open project', { method: 'POST', url: `/api/v1/projects/${created.id}/open` })
    return created.id as number
  }
  const projects = {
    fundA: named('project.fundA', await project('A', 'fund', 'open', { unitCost: 1000 })),
    fundB: named('project.fundB', await project('B', 'fund', 'open', { unitCost: 1000 })),
    // for 南浔镇 alone: its matching is no business of 双林镇's staff
    fundNanxun: named('project.fundNanxun', await project('A', 'fund', 'open', { unitCost: 1000, eligibility: { regionCodes: [TOWNS.T1.code] } })),
    trainingA: named('project.trainingA', await project('A', 'training_voucher', 'open', { unitCost: 800 })),
    trainingB: named('project.trainingB', await project('B', 'training_voucher', 'open', { unitCost: 800 })),
    roomsA: named('project.roomsA', await project('A', 'dream_room', 'open')),
    draftA: named('project.draftA', await project('A', 'fund', 'draft', { unitCost: 1000 })),
    draftB: named('project.draftB', await project('B', 'fund', 'draft', { unitCost: 1000 }))
  }
  for (const [name, projectId] of [['A', projects.fundA], ['B', projects.fundB], ['Nanxun', projects.fundNanxun]] as const) {
    const run = await byAdmin('proposal run', { method: 'POST', url: `/api/v1/projects/${projectId}/proposal-runs`, payload: {} })
    named(`run.${name}`, run.runId)
  }

  const course = async (inst: Org, town: Town) => (await byAdmin('course', {
    method: 'POST', url: '/api/v1/courses',
    payload: { title: '书法兴趣班', seats: 500, minAge: 6, maxAge: 12, regionCode: TOWNS[town].code, schedule: '周六上午', halfYear: NOW, institutionId: institution[inst] }
  })).id as number
  named('course.A', await course('A', 'T1'))
  named('course.B', await course('B', 'T2'))

  const fresh: Fresh = {
    household: async town => {
      const created = await byAdmin('household', { method: 'POST', url: '/api/v1/households', payload: newHousehold(town) })
      return { id: created.id, head: created.members[0].id, child: created.members[1].id }
    },
    wish: async (town, state, personId) => {
      const person = personId ?? (await fresh.household(town)).child
      const raised = await byAdmin('wish', {
        method: 'POST', url: '/api/v1/wishes',
        payload: { personId: person, category: 'school_supplies', item: '书包', value: 150, story: '孩子的书包破了。', submit: state !== 'draft' }
      })
      if (state === 'verified' || state === 'published') await byAdmin('verify', { method: 'POST', url: `/api/v1/wishes/${raised.id}/verify`, payload: { visitNote: '已入户核实，情况属实' } })
      if (state === 'published') await byAdmin('publish', { method: 'POST', url: `/api/v1/wishes/${raised.id}/publish` })
      return raised.id
    },
    claim: async (town, state) => {
      const donor = CLAIMANT[town]
      const claim = await as(donor, 'claim', { method: 'POST', url: `/api/v1/wishes/${await fresh.wish(town, 'published')}/claim` })
      await as(donor, 'claim evidence', { method: 'POST', url: `/api/v1/claims/${claim.id}/evidence?fileName=proof.png`, headers: { 'content-type': 'image/png' }, payload: PNG })
      if (state === 'delivered') await as(donor, 'delivered', { method: 'POST', url: `/api/v1/claims/${claim.id}/delivered`, payload: {} })
      return claim.id
    },
    proposal: async (town, org, householdId) => {
      const household = householdId ?? (await fresh.household(town)).id
      const applied = await byAdmin('application', {
        method: 'POST', url: `/api/v1/projects/${projects[`fund${org}`]}/applications`, payload: { householdId: household, statement: '家中老人重病，申请救助' }
      })
      return applied.id
    },
    fulfilment: async (town, state, householdId, org = 'A') => {
      const proposal = await fresh.proposal(town, org, householdId)
      await byAdmin('confirm', { method: 'POST', url: `/api/v1/proposals/${proposal}/confirm`, payload: {} })
      if (state !== 'in_progress') await byAdmin('evidence', { method: 'POST', url: `/api/v1/proposals/${proposal}/evidence?fileName=receipt.png`, headers: { 'content-type': 'image/png' }, payload: PNG })
      if (state === 'delivered') await byAdmin('delivered', { method: 'POST', url: `/api/v1/proposals/${proposal}/delivered`, payload: {} })
      return proposal
    },
    voucher: async (town, state) => {
      const child = await insertChild(app, { village: TOWNS[town].village })
      const voucher = await app.db.insertInto('vouchers').values({
        person_id: child.personId, household_id: child.householdId, region_code: TOWNS[town].village, half_year: NOW,
        project_id: town === 'T1' ? projects.trainingA : projects.trainingB
      }).returning('id').executeTakeFirstOrThrow()
      if (state === 'assigned') await byAdmin('choice', { method: 'POST', url: `/api/v1/vouchers/${voucher.id}/choice`, payload: { courseId: id('course.A') } })
      return voucher.id
    },
    room: async (town, funded, personId) => {
      const room = await byAdmin('survey', {
        method: 'POST', url: '/api/v1/dream-rooms',
        payload: { personId: personId ?? (await fresh.household(town)).child, roomCondition: '墙面发霉，没有书桌', areaM2: 9.5, budgetEstimate: 15000 }
      })
      if (funded) await byAdmin('funding', { method: 'POST', url: `/api/v1/dream-rooms/${room.id}/funding`, payload: { projectId: projects.roomsA } })
      await byAdmin('room evidence', { method: 'POST', url: `/api/v1/dream-rooms/${room.id}/evidence?stage=survey&fileName=room.png`, headers: { 'content-type': 'image/png' }, payload: PNG })
      return room.id
    },
    entry: async (town, householdId) => (await byAdmin('assistance', {
      method: 'POST', url: `/api/v1/households/${householdId ?? (await fresh.household(town)).id}/assistance`,
      payload: { kind: 'temporary_assistance', value: 500, occurredOn: '2025-09-01', provider: '镇民政办' }
    })).id,
    project: (org, status) => project(org, 'fund', status, { unitCost: 1000 }),
    token: async () => (await byAdmin('token', {
      method: 'POST', url: `/api/v1/users/${id('user.mz-target')}/tokens`,
      payload: { name: '数据对接', scopes: ['household.read'], expiresAt: new Date(Date.now() + 30 * 86400_000).toISOString() }
    })).id,
    warning: async (town, given) => {
      const household = given ?? await fresh.household(town)
      const context = await loadMonitoringContext(app.db, today())
      const version = resolveRules('nanxun-2025', [], today()).rules.income_drop_death
      const [raised] = await raiseWarnings(app.db, context, [{
        finding: { rule: 'income_drop_death', cause: 'income_drop_death', warningClass: 'new_hardship', summary: '劳动年龄段家庭成员死亡', values: {}, version },
        personId: household.head, householdId: household.id, regionCode: TOWNS[town].village, profile: 'nanxun-2025', lowIncome: true, feedRecordId: null, evidence: {}
      }], { id: null, name: 'system' })
      return (raised as { id: number }).id
    }
  }
  for (const town of ['T1', 'T2'] as const) {
    const family = await fresh.household(town)
    const second = await fresh.household(town)
    named(`household.${town}`, family.id)
    named(`household.${town}.second`, second.id)
    // 双林镇慈善分会's: a confirmed application in 南浔镇, an open one in 双林镇
    const third = named(`household.${town}.third`, (await fresh.household(town)).id)
    if (town === 'T1') named('fulfilment.B.T1', await fresh.fulfilment(town, 'in_progress', third, 'B'))
    else named('proposal.B.T2', await fresh.proposal(town, 'B', third))
    const decision = await app.db.selectFrom('category_decisions').select('id').where('household_id', '=', family.id).executeTakeFirstOrThrow()
    named(`decision.${town}`, decision.id)
    named(`entry.${town}`, await fresh.entry(town, family.id))

    const published = named(`wish.${town}.published`, await fresh.wish(town, 'published', family.child))
    named(`photo.${town}`, (await byAdmin('photo', { method: 'POST', url: `/api/v1/wishes/${published}/photos?fileName=photo.png`, headers: { 'content-type': 'image/png' }, payload: PNG })).id)
    named(`wish.${town}.submitted`, await fresh.wish(town, 'submitted', second.child))
    const claimed = named(`wish.${town}.claimed`, await fresh.wish(town, 'published', family.head))
    const donor = CLAIMANT[town]
    const claim = named(`claim.${town}`, (await as(donor, 'claim', { method: 'POST', url: `/api/v1/wishes/${claimed}/claim` })).id)
    named(`evidence.claim.${town}`, (await as(donor, 'claim evidence', { method: 'POST', url: `/api/v1/claims/${claim}/evidence?fileName=proof.png`, headers: { 'content-type': 'image/png' }, payload: PNG })).id)

    named(`fulfilment.A.${town}`, await fresh.fulfilment(town, 'in_progress', family.id, 'A'))
    named(`proposal.A.${town}`, await fresh.proposal(town, 'A', second.id))
    named(`room.${town}`, await fresh.room(town, town === 'T1', family.child))
    const voucher = named(`voucher.${town}`, await fresh.voucher(town, 'assigned'))
    named(`household.${town}.pupil`, (await app.db.selectFrom('vouchers').select('household_id').where('id', '=', voucher).executeTakeFirstOrThrow()).household_id)
    const clerk = town === 'T1' ? 'mz-nanxun' : 'mz-shuanglin'
    named(`warning.${town}`, await fresh.warning(town, family))
    named(`feed.${town}`, (await as(clerk, 'feed', { method: 'POST', url: '/api/v1/feeds?kind=death&fileName=death.csv', headers: { 'content-type': 'text/csv' }, payload: '身份证号,死亡日期\n' })).id)
    named(`import.${town}`, (await as(clerk, 'import', {
      method: 'POST', url: '/api/v1/imports?fileName=roster.csv', headers: { 'content-type': 'text/csv' }, payload: '户编号,村社区代码,姓名,身份证号,与户主关系,劳动能力\n'
    })).id)
  }
  for (const who of ['donor-person', 'donor-company'] as const) {
    const message = await app.db.insertInto('donor_messages').values({ donor_id: id(`donor.${who}`), kind: 'thanks', body: '感谢您的爱心' }).returning('id').executeTakeFirstOrThrow()
    named(`message.${who}`, message.id)
  }
  named('token', await fresh.token())
  await syncIndex(app)
  return { app, ids, id, call, renew, password, fresh, newHousehold }
}
