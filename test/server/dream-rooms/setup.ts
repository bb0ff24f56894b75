// Shared set-up for the dream-room tests: the demo accounts, families registered through the
// API (a parent with a serious illness, address and phone, and a primary-school child), a
// dream-room project of 南浔区慈善总会, and helpers for evidence and stage steps.
import type { FastifyInstance } from 'fastify'
import { makeResidentId } from '../../../matching/resident-id.js'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'

export const TOWN_VILLAGE = '330503101001'
export const OTHER_VILLAGE = '330503102001'

export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)])
export const PDF = Buffer.from('%PDF-1.4\n% handover sheet\n')

export interface Fixture {
  app: FastifyInstance
  county: Session
  town: Session
  charity: Session
  organisationId: number
}

export async function setUp (t: Parameters<typeof appWithAccounts>[0]): Promise<Fixture> {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const organisation = await app.db.selectFrom('organisations').select('id').where('name', '=', '南浔区慈善总会').executeTakeFirstOrThrow()
  return { app, county: await signIn(app, 'mz-county'), town: await signIn(app, 'mz-nanxun'), charity: await signIn(app, 'cszh'), organisationId: organisation.id }
}

export interface Family {
  householdId: number
  parentId: number
  childId: number
  /** What must never reach charity staff. */
  secrets: { names: string[], idNumbers: string[], address: string, phone: string, illness: string }
}

const yearsAgo = (years: number, monthDay = '03-05') => `${new Date().getFullYear() - years}-${monthDay}`

/** Registers a 低保 family (a parent and a child of about ten) in the village; `sequence` keeps ID numbers apart. */
export async function registerFamily (clerk: Session, regionCode: string, sequence: number, surname = '王'): Promise<Family> {
  const parent = { name: `${surname}建国`, idNumber: makeResidentId('330503', '1980-06-15', sequence * 4, 'male') }
  const child = { name: `${surname}小明`, idNumber: makeResidentId('330503', yearsAgo(10), sequence * 4 + 2, 'male') }
  const secrets = { names: [parent.name, child.name, '小明', '建国'], idNumbers: [parent.idNumber, child.idNumber], address: '南浔镇东大街88号3幢201室', phone: '13912345678', illness: '尿毒症' }
  const response = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: {
      regionCode, annualIncome: 6000, propertyCompliant: true, address: secrets.address, phone: secrets.phone,
      members: [
        { ...parent, relation: 'head', laborCapacity: 'weak', hasIncomeSource: true, seriousIllness: true, illness: secrets.illness },
        { ...child, relation: 'child', laborCapacity: 'none', schoolStage: 'primary' }
      ]
    }
  })
  if (response.statusCode !== 201) throw new Error(response.body)
  const household = response.json()
  return { householdId: household.id, parentId: household.members[0].id, childId: household.members[1].id, secrets }
}

export async function dreamProject (f: Fixture, budget: number, extra: { status?: string, kind?: 'dream_room' | 'fund', organisationId?: number } = {}): Promise<number> {
  const row = await f.app.db.insertInto('projects').values({
    organisation_id: extra.organisationId ?? f.organisationId, kind: extra.kind ?? 'dream_room', title: '梦想小屋·南浔第一期', budget, status: extra.status ?? 'open',
    eligibility: JSON.stringify({ regionCodes: ['330503'] })
  }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function survey (clerk: Session, personId: number, payload: Record<string, unknown> = {}) {
  return clerk.call({ method: 'POST', url: '/api/v1/dream-rooms', payload: { personId, roomCondition: '墙面发霉，没有书桌，与父母同住一间', areaM2: 9.5, budgetEstimate: 15000, ...payload } })
}

export async function surveyed (clerk: Session, personId: number, payload: Record<string, unknown> = {}): Promise<number> {
  const response = await survey(clerk, personId, payload)
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json().id
}

export async function upload (session: Session, roomId: number, stage: string, content: Buffer = PNG) {
  const type = content === PDF ? 'application/pdf' : 'image/png'
  return session.call({ method: 'POST', url: `/api/v1/dream-rooms/${roomId}/evidence?stage=${stage}&fileName=${stage}.${type.split('/')[1]}`, headers: { 'content-type': type }, payload: content })
}

export async function complete (session: Session, roomId: number, stage: string, payload: Record<string, unknown> = {}) {
  return session.call({ method: 'POST', url: `/api/v1/dream-rooms/${roomId}/stages/${stage}/complete`, payload })
}

/** Funds the room and carries it through survey, design and build, so that only the handover is left. */
export async function readyForHandover (f: Fixture, roomId: number, projectId: number): Promise<void> {
  const funded = await f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${roomId}/funding`, payload: { projectId } })
  if (funded.statusCode !== 200) throw new Error(funded.body)
  for (const stage of ['survey', 'design', 'build']) {
    if ((await upload(f.town, roomId, stage)).statusCode !== 201) throw new Error(`upload ${stage}`)
    const done = await complete(f.town, roomId, stage)
    if (done.statusCode !== 200) throw new Error(done.body)
  }
}
