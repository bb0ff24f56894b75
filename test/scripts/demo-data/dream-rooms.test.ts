// The demo's dream rooms: four rooms in 南浔镇 taken through the server's own steps — one
// waiting for a funder, one at the build stage due in 5 days, one overdue at design, one
// completed with evidence of every stage and its help in the household's chain; loaded once.
import t from 'tap'
import { appWithAccounts } from '../../helpers/accounts.js'
import { generateDataset } from '../../../scripts/demo-data/index.js'
import { loadDataset } from '../../../scripts/demo-data/load.js'
import { loadDemoDreamRooms } from '../../../scripts/demo-data/dream-rooms.js'
import { countStagesDue, listStaffRooms } from '../../../server/dream-rooms/views.js'

t.test('four rooms at four points of their life, the completed one in the chain; a second load adds nothing', async t => {
  const app = await appWithAccounts(t)
  const asOf = '2026-12-07'
  await loadDataset(app.db, app.config, generateDataset({ seed: 2025, households: 300, asOf }), { asOf, k: app.config.kAnonymity, dataDir: app.config.dataDir })

  const town = { regionPrefix: '330503101' }
  const { total, items } = await listStaffRooms(app.db, town, { limit: 10, offset: 0 }, asOf)
  t.equal(total, 4)
  const rooms = [...items].sort((a, b) => a.id - b.id)
  t.same(rooms.map(r => [r.stage, r.project !== null, r.budgetEstimate]), [
    ['completed', true, 15000],
    ['design', true, 15000],
    ['build', true, 16000],
    ['design', false, 14000]
  ])
  const stages = await app.db.selectFrom('dream_room_stages').select(['room_id', 'stage', 'due_on', 'completed_on']).where('room_id', 'in', rooms.map(r => r.id)).orderBy('room_id').orderBy('due_on').execute()
  const of = (room: number) => stages.filter(s => s.room_id === rooms[room]!.id).map(s => [s.stage, s.due_on, s.completed_on])
  t.same(of(3), [['survey', '2026-12-11', '2026-12-02'], ['design', '2026-12-27', null], ['build', '2027-02-10', null], ['handover', '2027-02-25', null]], 'waiting for a funder')
  t.same(of(2)[2], ['build', '2026-12-12', null], 'the build is due in 5 days')
  t.same(of(1)[1], ['design', '2026-11-22', null], 'the design is 15 days overdue')
  t.same(of(0).map(s => s[2]), ['2026-08-15', '2026-09-02', '2026-10-18', '2026-11-12'], 'every stage done')
  t.equal(await countStagesDue(app.db, town, asOf), 2, 'the build due soon and the overdue design')

  const evidence = await app.db.selectFrom('evidence').select(['dream_room_id', 'stage']).where('dream_room_id', 'in', rooms.map(r => r.id)).orderBy('id').execute()
  t.same(evidence.filter(e => e.dream_room_id === rooms[0]!.id).map(e => e.stage), ['survey', 'design', 'build', 'handover'], 'a photo for every stage of the completed room')
  t.equal(evidence.length, 1 + 2 + 1 + 4)
  const chain = await app.db.selectFrom('assistance_entries').select(['household_id', 'kind', 'value', 'occurred_on', 'origin']).where('kind', '=', 'dream_room').execute()
  t.same(chain, [{ household_id: rooms[0]!.householdId, kind: 'dream_room', value: 15000, occurred_on: '2026-11-12', origin: `dream_room:${rooms[0]!.id}` }])

  await loadDemoDreamRooms(app.db, { asOf, dataDir: app.config.dataDir })
  t.equal((await listStaffRooms(app.db, town, { limit: 10, offset: 0 }, asOf)).total, 4, 'a second load adds nothing')
})
