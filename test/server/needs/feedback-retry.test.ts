// The feedback job fails half-way (after the chain entry, at the thanks) and bull retries it:
// the failed attempt left nothing, the retry writes one chain entry and one thanks.
import t from 'tap'
import { sql } from 'kysely'
import { signIn } from '../../helpers/accounts.js'
import { PNG, publishedWish, registerHousehold } from '../../helpers/needs.js'
import { world } from '../proposals/setup.js'

t.test('a retried feedback job appends once', async t => {
  const w = await world(t)
  const clerk = w.town
  const family = await registerHousehold(clerk, [{ name: '周大海', birthDate: '1976-04-04', sex: 'male' }, { name: '周小溪', birthDate: '2013-04-04', sex: 'female', schoolStage: 'junior' }])
  const wish = await publishedWish(clerk, family.personIds[1] as number, { item: '字典', value: 80 })
  const donor = await signIn(w.app, 'donor-person')
  const claim = (await donor.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })).json()
  await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/evidence?fileName=送达.png`, payload: PNG, headers: { 'content-type': 'image/png' } })
  await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/delivered`, payload: {} })

  // The first attempt fails at the thanks, after its chain entry was written in the same transaction.
  await sql`
    CREATE SEQUENCE thanks_fail_once;
    CREATE FUNCTION thanks_fail_once () RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('thanks_fail_once') = 1 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER thanks_fail_once BEFORE INSERT ON donor_messages FOR EACH ROW EXECUTE FUNCTION thanks_fail_once ();
  `.execute(w.app.db)
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/confirm`, payload: {} })).json().state, 'confirmed')

  const job = (await w.app.queues.feedback.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).find(j => j.data.claimId === claim.id)
  t.ok(job, 'the receipt queued the feedback')
  await job?.finished()
  t.equal((await w.app.queues.feedback.getJob(job?.id as string))?.attemptsMade, 1, 'bull counts the failed attempt before the one that succeeded')
  const { rows } = await sql<{ last_value: string }>`SELECT last_value FROM thanks_fail_once`.execute(w.app.db)
  t.equal(Number(rows[0]?.last_value), 2, 'the thanks was tried twice: failed, then written')
  const chain = await w.app.db.selectFrom('assistance_entries').select(['kind', 'value', 'origin']).where('household_id', '=', family.id).execute()
  t.same(chain, [{ kind: 'wish', value: 80, origin: `claim:${claim.id}` }], 'one chain entry')
  const thanks = await w.app.db.selectFrom('donor_messages').select('kind').where('claim_id', '=', claim.id).execute()
  t.same(thanks, [{ kind: 'thanks' }], 'one thanks')
  t.equal((await w.app.db.selectFrom('wishes').select('state').where('id', '=', wish.id).executeTakeFirstOrThrow()).state, 'closed')
})
