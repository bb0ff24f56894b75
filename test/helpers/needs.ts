// Households registered through the API (so names are encrypted and categories decided as in
// production), donor accounts, and the steps that take a wish to published.
import type { FastifyInstance } from 'fastify'
import { makeResidentId } from '../../matching/resident-id.js'
import { createUser } from '../../server/auth/users.js'
import { syncSearchIndex } from '../../server/search/outbox.js'
import type { Session } from './accounts.js'

export const VILLAGE = '330503101001' // 东大街社区, 南浔镇
export const OTHER_VILLAGE = '330503102001' // 双林村, 双林镇
export const PASSWORD = 'long-enough-pass-1'

let sequence = 100

export interface MemberSpec { name: string, birthDate: string, sex: 'male' | 'female', schoolStage?: string, relation?: string }

/** A 低保 household (income far below the line) with the given members; returns ids and person ids in order. */
export async function registerHousehold (clerk: Session, members: MemberSpec[], overrides: Record<string, unknown> = {}): Promise<{ id: number, personIds: number[], category: string }> {
  const regionCode = (overrides.regionCode as string | undefined) ?? VILLAGE
  const response = await clerk.call({
    method: 'POST',
    url: '/api/v1/households',
    payload: {
      regionCode, address: '南浔镇东大街 12 号 3 室', phone: '13905721234',
      annualIncome: 3000, rigidExpenses: { medical: 0, education: 0 }, propertyCompliant: true,
      povertyMonitoring: false, hardships: [],
      members: members.map((m, i) => ({
        name: m.name, idNumber: makeResidentId('330503', m.birthDate, sequence += 2, m.sex), relation: m.relation ?? (i === 0 ? 'head' : 'child'),
        laborCapacity: 'weak', hasIncomeSource: false, hasAbleSupporter: true, disability: null, seriousIllness: false,
        schoolStage: m.schoolStage ?? 'none', employed: false
      })),
      ...overrides
    }
  })
  if (response.statusCode !== 201) throw new Error(`household not registered: ${response.body}`)
  const body = response.json()
  return { id: body.id, personIds: body.members.map((m: { id: number }) => m.id), category: body.category }
}

/** A verified donor account; returns its username. */
export async function donorAccount (app: FastifyInstance, username: string, name = `爱心人士${username}`): Promise<string> {
  const donor = await app.db.insertInto('donors').values({ kind: 'individual', name, phone: '13800000000' }).returning('id').executeTakeFirstOrThrow()
  await createUser(app.db, { username, password: PASSWORD, displayName: name, roles: ['donor'], donorId: donor.id, contact: '13800000000' })
  await app.db.updateTable('users').set({ contact_verified_at: new Date() }).where('username', '=', username).execute()
  return username
}

export interface WishSpec { category?: string, item?: string, value?: number, story?: string, neededBy?: string, showCategory?: boolean }

/** Raises, submits, verifies and publishes a wish as the clerk; returns the published wish. */
export async function publishedWish (clerk: Session, personId: number, spec: WishSpec = {}): Promise<{ id: number, publicView: Record<string, unknown>, coarsened: string[] }> {
  const raised = await clerk.call({
    method: 'POST', url: '/api/v1/wishes',
    payload: { personId, category: spec.category ?? 'school_supplies', item: spec.item ?? '书包', value: spec.value ?? 150, story: spec.story ?? '孩子的书包破了。', submit: true, ...(spec.neededBy ? { neededBy: spec.neededBy } : {}), ...(spec.showCategory ? { showCategory: true } : {}) }
  })
  if (raised.statusCode !== 201) throw new Error(`wish not raised: ${raised.body}`)
  const id = raised.json().id as number
  const verified = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${id}/verify`, payload: { visitNote: '已入户核实，情况属实' } })
  if (verified.statusCode !== 200) throw new Error(`wish not verified: ${verified.body}`)
  const published = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${id}/publish` })
  if (published.statusCode !== 200) throw new Error(`wish not published: ${published.body}`)
  return published.json()
}

/** Drains the outbox into this test's own indexes (the worker's job, run in the test). */
export async function syncIndex (app: FastifyInstance): Promise<void> {
  await syncSearchIndex(app.db, app.meili, app.config.searchPrefix)
}

/** The demo's parcel photo (a PNG), for delivery proof. */
export { DEMO_PHOTO as PNG } from '../../scripts/demo-data/photo.js'
