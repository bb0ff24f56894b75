// The demo's monitoring: feeds imported on days in the recent past through the server's own
// import, so that the worklist opens with overdue, due and open warnings, one handled, and
// each feed's unmatched and invalid rows counted; loaded once.
import t from 'tap'
import { appWithAccounts } from '../../helpers/accounts.js'
import { generateDataset } from '../../../scripts/demo-data/index.js'
import { loadDataset } from '../../../scripts/demo-data/load.js'
import { loadDemoMonitoring } from '../../../scripts/demo-data/monitoring.js'
import { loadCalendar } from '../../../server/monitoring/calendar.js'
import { listWarnings, warningCounts } from '../../../server/monitoring/warnings.js'
import { EVERYWHERE } from '../../../server/db/scope.js'

t.test('feeds, open, due and overdue warnings, one closed with help in the chain; a second load adds nothing', async t => {
  const app = await appWithAccounts(t)
  const asOf = '2026-12-07' // a Monday
  const data = generateDataset({ seed: 2025, households: 300, asOf })
  await loadDataset(app.db, app.config, data, { asOf, k: app.config.kAnonymity, dataDir: app.config.dataDir })

  const feeds = await app.db.selectFrom('feed_imports').select(['kind', 'status', 'rows_read', 'matched', 'unmatched', 'invalid', 'warnings_raised']).orderBy('id').execute()
  t.same(feeds.map(f => [f.kind, f.status, f.rows_read, f.matched, f.unmatched, f.invalid, f.warnings_raised]), [
    ['medical', 'completed', 4, 3, 1, 0, 3],
    ['death', 'completed', 2, 2, 0, 0, 2],
    ['disaster', 'completed', 2, 1, 0, 1, 1],
    ['unemployment', 'completed', 4, 2, 1, 1, 2]
  ])
  const calendar = await loadCalendar(app.db)
  const { items } = await listWarnings(app.db, EVERYWHERE, { status: 'open', limit: 50, offset: 0 }, calendar, asOf)
  t.same(items.map(w => [w.rule, w.raisedOn, w.dueOn, w.daysLeft, w.overdue, w.deskRegion]), [
    ['spending_surge', '2026-11-09', '2026-11-23', -10, true, '330503'],
    ['spending_surge', '2026-11-09', '2026-11-23', -10, true, '330503'],
    ['income_drop_death', '2026-11-24', '2026-12-08', 1, false, '330503101'],
    ['income_drop_death', '2026-11-24', '2026-12-08', 1, false, '330503101'],
    ['disaster_loss', '2026-12-01', '2026-12-15', 6, false, '330503'],
    ['income_drop_unemployment', '2026-12-05', '2026-12-18', 9, false, '330503'],
    ['income_drop_unemployment', '2026-12-05', '2026-12-18', 9, false, '330503']
  ])
  t.same(await warningCounts(app.db, EVERYWHERE, calendar, asOf), { open: 7, dueSoon: 2, overdue: 2 })
  const closed = await app.db.selectFrom('warnings').select(['outcome', 'escalated_to']).where('status', '=', 'closed').execute()
  t.same(closed, [{ outcome: 'policy_applied', escalated_to: null }])
  t.equal(Number((await app.db.selectFrom('assistance_entries').select(eb => eb.fn.countAll<number>().as('n')).where('kind', '=', '医疗救助').executeTakeFirstOrThrow()).n) >= 1, true, 'the help in the chain')
  const escalated = await app.db.selectFrom('warnings').select('escalated_to').where('status', '!=', 'closed').where('escalated_to', 'is not', null).execute()
  t.equal(escalated.length, 2, 'the overdue ones went to the supervisor')

  t.equal(await loadDemoMonitoring(app.db, app.config, data, asOf), 0, 'loaded once')
  t.equal(Number((await app.db.selectFrom('feed_imports').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 4)
})
