import t from 'tap'
import { spawnSync } from 'node:child_process'
import pg from 'pg'
import { testApp } from '../../helpers/services.js'
import { fromRow, GENESIS_HASH, recordHash, verifyAuditChain } from '../../../server/audit/chain.js'
import { csvCell } from '../../../server/audit/search.js'
import { canonicalJson } from '../../../server/audit/canonical.js'

const actor = { id: 1, name: 'mz-nanxun' }

t.test('canonical JSON ignores key order', async t => {
  t.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}')
  t.equal(canonicalJson({ a: undefined, b: 'x' }), '{"b":"x"}')
})

t.test('CSV cells are quoted and cannot become formulas', async t => {
  t.equal(csvCell('a,b'), '"a,b"')
  t.equal(csvCell('say "hi"'), '"say ""hi"""')
  t.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"')
  t.equal(csvCell(null), '')
  t.equal(csvCell({ a: 1 }), '"{""a"":1}"')
})

t.test('records chain, concurrent appends never fork, an edited row is found', async t => {
  const app = await testApp(t)
  const first = await app.audit.record({ actor, action: 'household.updated', record: { type: 'household', id: 5, regionCode: '330503101' }, ip: '10.0.0.1', before: { status: 'active' }, after: { status: 'gradual_exit', at: new Date('2025-07-01T00:00:00Z') } })
  t.equal(first.id, 1)
  t.equal(first.prevHash, GENESIS_HASH)
  t.match(first.hash, /^[0-9a-f]{64}$/)
  t.same(first.after, { status: 'gradual_exit', at: '2025-07-01T00:00:00.000Z' }, 'stored as JSON')

  await Promise.all(Array.from({ length: 30 }, (_, i) =>
    app.audit.record({ actor, action: 'household.read_pii', record: { type: 'household', id: i, regionCode: '330503101' }, details: { fields: ['name'] } })))
  const rows = await app.db.selectFrom('audit_records').select(['id', 'prev_hash', 'hash']).orderBy('id').execute()
  t.same(rows.map(r => r.id), Array.from({ length: 31 }, (_, i) => i + 1), 'ids 1..31 without gaps')
  t.ok(rows.every((row, i) => i === 0 || row.prev_hash === rows[i - 1]!.hash), 'each record names its predecessor')
  const sound = await verifyAuditChain(app.db, 7)
  t.same(sound, { ok: true, checked: 31, lastId: 31, lastHash: rows[30]!.hash })

  // The table refuses changes through the application's statements …
  await t.rejects(app.db.updateTable('audit_records').set({ actor: 'x' }).where('id', '=', 3).execute(), /append-only/)
  await t.rejects(app.db.deleteFrom('audit_records').where('id', '=', 3).execute(), /append-only/)
  // … so an attacker with superuser rights switches the trigger off and edits a row.
  const admin = new pg.Client({ connectionString: app.config.databaseUrl })
  await admin.connect()
  t.teardown(() => admin.end())
  await admin.query('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only')
  await admin.query(`UPDATE audit_records SET after = '{"status": "active"}' WHERE id = 1`)
  t.same(await verifyAuditChain(app.db), {
    ok: false, checked: 0, brokenAt: 1, reason: 'hash_mismatch', message: '审计链在第 1 条断开：记录内容与其哈希不一致（该记录被改动）'
  })

  // Recomputing the edited row's hash does not help: the next record still names the old one.
  const { rows: [edited] } = await admin.query('SELECT * FROM audit_records WHERE id = 1')
  const { hash: _old, ...unhashed } = fromRow(edited)
  await admin.query('UPDATE audit_records SET hash = $1 WHERE id = 1', [recordHash(unhashed)])
  const relinked = await verifyAuditChain(app.db)
  t.equal(relinked.ok, false)
  t.match(relinked, { brokenAt: 2, reason: 'prev_hash_mismatch', checked: 1 })

  await admin.query('DELETE FROM audit_records WHERE id = 10')
  await admin.query(`UPDATE audit_records SET hash = $1 WHERE id = 1`, [rows[0]!.hash])
  await admin.query(`UPDATE audit_records SET after = $1 WHERE id = 1`, [JSON.stringify({ status: 'gradual_exit', at: '2025-07-01T00:00:00.000Z' })])
  t.match(await verifyAuditChain(app.db), { ok: false, brokenAt: 10, reason: 'missing_record', checked: 9 }, 'a removed row is named')

  // The command-line check says the same and fails.
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts'], { env: { ...process.env, DATABASE_URL: app.config.databaseUrl }, encoding: 'utf8' })
  t.equal(run.status, 1)
  t.match(run.stdout, /审计链在第 10 条断开/)
})

t.test('the verification command passes a sound chain', async t => {
  const app = await testApp(t)
  await app.audit.record({ actor, action: 'user.created', record: { type: 'user', id: 2 } })
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts'], { env: { ...process.env, DATABASE_URL: app.config.databaseUrl }, encoding: 'utf8' })
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout, /audit chain intact\): 1 records, last id 1/)
  const missing = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts'], { env: { ...process.env, DATABASE_URL: '' }, encoding: 'utf8' })
  t.equal(missing.status, 2)
})

t.test('an append inside a rolled-back transaction leaves no trace and no gap', async t => {
  const app = await testApp(t)
  await t.rejects(app.db.transaction().execute(async trx => {
    await app.audit.record({ actor, action: 'household.updated', record: { type: 'household', id: 1 } }, trx)
    throw new Error('the change failed')
  }), /the change failed/)
  const next = await app.audit.record({ actor, action: 'household.updated', record: { type: 'household', id: 1 } })
  t.equal(next.id, 1)
  t.same(await verifyAuditChain(app.db), { ok: true, checked: 1, lastId: 1, lastHash: next.hash })
})
