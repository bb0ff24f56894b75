// The wish and claim state machines, every step from every state, through the API: each legal
// step succeeds and lands where it should; each illegal one is a 409 naming the state the
// record is in, and leaves it as it was.
import t from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { WISH_STATES, type WishState } from '../../../matching/domain.js'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { PNG, publishedWish, registerHousehold, VILLAGE } from '../../helpers/needs.js'
import { expireClaims, type ClaimState } from '../../../server/needs/claims.js'
import { today } from '../../../server/clock.js'
import { addDays } from '../../../matching/dates.js'

const VISIBLE: readonly WishState[] = ['published', 'claimed', 'delivered', 'confirmed', 'closed']

async function setUp (t: { teardown: (fn: () => unknown) => void }) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const household = await registerHousehold(clerk, [{ name: '范一', birthDate: '1950-01-01', sex: 'male' }])
  // A real de-identified document, copied (with its own id) into wishes put straight into a state.
  const template = await publishedWish(clerk, household.personIds[0] as number)
  /** A wish of the household in `state`, with what that state requires (a document, a reason). */
  const wishIn = async (state: WishState): Promise<number> => {
    const row = await app.db.insertInto('wishes').values({
      person_id: household.personIds[0] as number, household_id: household.id, region_code: VILLAGE, category: 'clothing', item: '棉衣', value: 200, state,
      reason: state === 'rejected' || state === 'withdrawn' ? '测试' : null,
      published_at: VISIBLE.includes(state) ? new Date() : null,
      public_view: VISIBLE.includes(state) ? JSON.stringify(template.publicView) : null
    }).returning('id').executeTakeFirstOrThrow()
    await sql`UPDATE wishes SET public_view = jsonb_set(public_view, '{id}', to_jsonb(id)) WHERE id = ${row.id} AND public_view IS NOT NULL`.execute(app.db)
    return row.id
  }
  return { app, clerk, donor: await signIn(app, 'donor-person'), wishIn }
}

const wishState = async (app: FastifyInstance, id: number) => (await app.db.selectFrom('wishes').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state

interface Step { action: string, from: readonly string[], to: string | null, call: (id: number) => { method: 'POST' | 'PATCH', url: string, payload?: object } }

/** The staff's steps on a wish: where each may start, where it lands (null: edited in place). */
const WISH_STEPS: Step[] = [
  { action: 'edit', from: ['draft', 'submitted'], to: null, call: id => ({ method: 'PATCH', url: `/api/v1/wishes/${id}`, payload: { value: 99 } }) },
  { action: 'submit', from: ['draft'], to: 'submitted', call: id => ({ method: 'POST', url: `/api/v1/wishes/${id}/submit` }) },
  { action: 'verify', from: ['submitted'], to: 'verified', call: id => ({ method: 'POST', url: `/api/v1/wishes/${id}/verify`, payload: { visitNote: '已入户核实' } }) },
  { action: 'reject', from: ['submitted', 'verified'], to: 'rejected', call: id => ({ method: 'POST', url: `/api/v1/wishes/${id}/reject`, payload: { reason: '不符合条件' } }) },
  { action: 'publish', from: ['verified'], to: 'published', call: id => ({ method: 'POST', url: `/api/v1/wishes/${id}/publish` }) },
  { action: 'withdraw', from: ['draft', 'submitted', 'verified', 'published'], to: 'withdrawn', call: id => ({ method: 'POST', url: `/api/v1/wishes/${id}/withdraw`, payload: { reason: '家庭已自行解决' } }) }
]

t.test('every staff step on a wish from every state', async t => {
  const { app, clerk, wishIn } = await setUp(t)
  for (const step of WISH_STEPS) {
    for (const from of WISH_STATES) {
      const id = await wishIn(from)
      const response = await clerk.call(step.call(id))
      const label = `${step.action} from ${from}`
      if (step.from.includes(from)) {
        t.equal(response.statusCode, 200, `${label}: allowed`)
        t.equal(await wishState(app, id), step.to ?? from, `${label}: now ${step.to ?? from}`)
      } else {
        t.equal(response.statusCode, 409, `${label}: refused`)
        t.equal(response.json().error.code, 'illegal_transition')
        t.same(response.json().error.details, [{ code: 'illegal_transition', message: from, state: from, allowedFrom: step.from, to: step.to }], `${label}: names the state it is in`)
        t.equal(await wishState(app, id), from, `${label}: unchanged`)
      }
    }
  }
})

t.test('a donor claims a wish only while it is published', async t => {
  const { app, donor, wishIn } = await setUp(t)
  const neverShown = ['draft', 'submitted', 'verified', 'rejected']
  for (const from of WISH_STATES) {
    const id = await wishIn(from)
    const response = await donor.call({ method: 'POST', url: `/api/v1/wishes/${id}/claim` })
    if (from === 'published') {
      t.equal(response.statusCode, 201, 'claim from published: allowed')
      t.equal(await wishState(app, id), 'claimed')
    } else {
      // Donors never saw a wish that was never published: to them it does not exist.
      t.same([response.statusCode, response.json().error.code], neverShown.includes(from) ? [404, 'not_found'] : [409, 'wish_not_available'], `claim from ${from}: refused`)
      t.equal(await wishState(app, id), from, `claim from ${from}: unchanged`)
    }
  }
})

/** A claim of the donor in `state`, on a wish in the state that goes with it; an active one has its proof uploaded. */
async function claimIn (app: FastifyInstance, donor: Session, wishIn: (state: WishState) => Promise<number>, state: ClaimState): Promise<{ id: number, wishId: number }> {
  const wishStates: Record<ClaimState, WishState> = { active: 'claimed', delivered: 'delivered', confirmed: 'confirmed', expired: 'published', cancelled: 'published' }
  const wishId = await wishIn(wishStates[state])
  const { donorId } = await app.db.selectFrom('users').select('donor_id as donorId').where('username', '=', 'donor-person').executeTakeFirstOrThrow()
  // Claims are born active; then taken where the test needs them.
  const claim = await app.db.insertInto('claims').values({ wish_id: wishId, donor_id: donorId as number, due_on: addDays(today(), 14) }).returning('id').executeTakeFirstOrThrow()
  if (state !== 'active') {
    await app.db.updateTable('claims').set({
      state,
      delivered_on: state === 'delivered' || state === 'confirmed' ? today() : null,
      confirmed_on: state === 'confirmed' ? today() : null,
      ...(state === 'expired' || state === 'cancelled' ? { ended_at: new Date() } : {})
    }).where('id', '=', claim.id).execute()
  }
  if (state === 'active') {
    const proof = await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/evidence?fileName=proof.png`, payload: PNG, headers: { 'content-type': 'image/png' } })
    if (proof.statusCode !== 201) throw new Error(proof.body)
  }
  return { id: claim.id, wishId }
}

const CLAIM_STATES: readonly ClaimState[] = ['active', 'delivered', 'confirmed', 'expired', 'cancelled']

t.test('every step on a claim from every state, and the wish moving with it', async t => {
  const { app, clerk, donor, wishIn } = await setUp(t)
  const steps: Array<Step & { by: Session, wishTo: WishState }> = [
    { action: 'delivered', by: donor, from: ['active'], to: 'delivered', wishTo: 'delivered', call: id => ({ method: 'POST', url: `/api/v1/claims/${id}/delivered`, payload: {} }) },
    { action: 'cancel', by: donor, from: ['active'], to: 'cancelled', wishTo: 'published', call: id => ({ method: 'POST', url: `/api/v1/claims/${id}/cancel`, payload: { reason: '临时出差' } }) },
    { action: 'confirm', by: clerk, from: ['delivered'], to: 'confirmed', wishTo: 'confirmed', call: id => ({ method: 'POST', url: `/api/v1/claims/${id}/confirm`, payload: {} }) }
  ]
  for (const step of steps) {
    for (const from of CLAIM_STATES) {
      const claim = await claimIn(app, donor, wishIn, from)
      const wishBefore = await wishState(app, claim.wishId)
      const response = await step.by.call(step.call(claim.id))
      const state = (await app.db.selectFrom('claims').select('state').where('id', '=', claim.id).executeTakeFirstOrThrow()).state
      const label = `${step.action} from ${from}`
      if (step.from.includes(from)) {
        t.equal(response.statusCode, 200, `${label}: allowed`)
        t.same([state, await wishState(app, claim.wishId)], [step.to, step.wishTo], `${label}: claim ${step.to}, wish ${step.wishTo}`)
      } else {
        t.equal(response.statusCode, 409, `${label}: refused`)
        t.equal(response.json().error.code, 'illegal_transition')
        t.same(response.json().error.details, [{ code: 'illegal_transition', message: from, state: from, allowedFrom: step.from, to: step.to }], `${label}: names the state it is in`)
        t.same([state, await wishState(app, claim.wishId)], [from, wishBefore], `${label}: claim and wish unchanged`)
      }
    }
  }

  // The lapse is the worker's step: only an active claim past its day expires.
  const overdue = []
  for (const from of CLAIM_STATES) {
    const claim = await claimIn(app, donor, wishIn, from)
    await app.db.updateTable('claims').set({ due_on: addDays(today(), -1) }).where('id', '=', claim.id).execute()
    overdue.push({ from, ...claim })
  }
  t.same(await expireClaims(app.db, today()), [overdue[0]?.id], 'lapse: only the active claim')
  const after = await app.db.selectFrom('claims').select(['id', 'state']).where('id', 'in', overdue.map(c => c.id)).orderBy('id').execute()
  t.same(after.map(c => c.state), ['expired', 'delivered', 'confirmed', 'expired', 'cancelled'])
  t.equal(await wishState(app, overdue[0]!.wishId), 'published', 'and its wish is published again')
})
