import t from 'tap'
import { sql } from 'kysely'
import { createDb } from '../../../server/db/database.js'
import { appendAssistance, listAssistance, reverseAssistance } from '../../../server/registry/assistance.js'
import { EVERYWHERE } from '../../../server/db/scope.js'
import { testDatabase } from '../../helpers/services.js'
import { insertBareHousehold } from '../../helpers/fixtures.js'

t.test('the assistance chain is append-only and corrected by reversal', async t => {
  const db = createDb(await testDatabase(t), 2)
  t.teardown(() => db.destroy())
  const householdId = await insertBareHousehold(db, '330503101001')
  const town = { regionPrefix: '330503101' }
  const otherTown = { regionPrefix: '330503102' }

  const entry = await appendAssistance(db, town, {
    householdId, source: 'government', kind: 'temporary_assistance', value: 2000, occurredOn: '2025-08-01', provider: '南浔区民政局', reference: 'LS-2025-001'
  })
  t.match(entry, { householdId, source: 'government', kind: 'temporary_assistance', value: 2000, occurredOn: '2025-08-01', reverses: null, tags: [] })

  await t.rejects(appendAssistance(db, otherTown, { householdId, source: 'government', kind: 'x', value: 1, occurredOn: '2025-08-01', provider: 'p' }),
    { statusCode: 404, code: 'not_found' }, 'another region cannot even see the household')

  await t.rejects(sql`UPDATE assistance_entries SET value = 1 WHERE id = ${entry.id}`.execute(db), /append-only/)
  await t.rejects(sql`DELETE FROM assistance_entries WHERE id = ${entry.id}`.execute(db), /append-only/)

  const reversal = await reverseAssistance(db, EVERYWHERE, entry.id, '重复发放，冲正', '2025-08-05')
  t.match(reversal, { value: -2000, reverses: entry.id, reference: 'LS-2025-001', reversalReason: '重复发放，冲正', occurredOn: '2025-08-05', kind: 'temporary_assistance' })
  await t.rejects(reverseAssistance(db, EVERYWHERE, entry.id, 'again', '2025-08-06'), { statusCode: 409, code: 'already_reversed' })
  await t.rejects(reverseAssistance(db, EVERYWHERE, reversal.id, 'undo', '2025-08-06'), { statusCode: 409, code: 'cannot_reverse_reversal' })

  const chain = await listAssistance(db, householdId)
  t.same(chain.map(e => [e.value, e.reverses, e.reversalReason]), [[2000, null, null], [-2000, entry.id, '重复发放，冲正']], 'the reason is read with the chain, on the reversing entry only')
  t.equal(chain.reduce((sum, e) => sum + e.value, 0), 0, 'the chain nets to zero after the correction')
})
