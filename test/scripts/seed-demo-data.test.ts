// When `npm start` loads the demo data: on a fresh database, again after a start that did
// not finish loading (the loader resumes), never after a finished load or on others' data.
import t from 'tap'
import { testApp } from '../helpers/services.js'
import { insertBareHousehold } from '../helpers/fixtures.js'
import { DEMO_LOADED, DEMO_LOADING, seedDemoData } from '../../scripts/seed-demo-data.js'
import { verifyAuditChain } from '../../server/audit/chain.js'

const counts = { households: 2, persons: 5, wishes: 1 }
const quiet = () => {}

t.test('loads once; an interrupted load is resumed at the next start', async t => {
  const app = await testApp(t)
  let calls = 0
  const interrupted = async () => { calls++; throw new Error('Ctrl-C half-way') }
  await t.rejects(seedDemoData(app.db, interrupted, quiet), /half-way/)
  const resumed = async () => { calls++; return counts }
  const lines: string[] = []
  await seedDemoData(app.db, resumed, line => lines.push(line))
  t.equal(calls, 2, 'the next start called the loader again')
  t.match(lines[0], /resuming/)
  await seedDemoData(app.db, resumed, quiet)
  t.equal(calls, 2, 'a finished load is not repeated')
  const marks = await app.db.selectFrom('audit_records').select(['action', 'details']).orderBy('id').execute()
  t.same(marks, [{ action: DEMO_LOADING, details: null }, { action: DEMO_LOADED, details: counts }])
  t.equal((await verifyAuditChain(app.db)).ok, true)
})

t.test('households without the marks are someone else\'s data: left alone', async t => {
  const app = await testApp(t)
  await insertBareHousehold(app.db, '330503101001')
  let called = false
  await seedDemoData(app.db, async () => { called = true; return counts }, quiet)
  t.equal(called, false)
})
