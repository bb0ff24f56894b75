// Administration and audit pages as a browser uses them: an account created with its errors
// beside the fields, a temporary password and a token each shown once (never cached), search
// synonyms typed a group a line, the trail filtered for an auditor of the region, and a chain
// broken by someone with superuser rights named in plain words on the verify page.
import t from 'tap'
import pg from 'pg'
import { appWithAccounts, signInRequest } from '../../helpers/accounts.js'
import { fieldError, PageClient, textOf } from '../../helpers/pages.js'

t.test('an administrator creates an account, resets its password and makes a token; an auditor reads and verifies the trail', async t => {
  const app = await appWithAccounts(t)
  const admin = new PageClient(app)
  await admin.signIn('admin')
  await admin.get('/admin/users/new')

  const missing = await admin.post('/admin/users', { username: 'Bad Name', displayName: '练市镇民政员', password: 'short' })
  t.equal(missing.statusCode, 400)
  t.equal(fieldError(missing.body, 'roles'), '请填写角色', 'said beside the field, in Chinese')
  t.match(missing.body, /value="练市镇民政员"/, 'what was typed is kept')

  const created = await admin.post('/admin/users', { username: 'mz-lianshi', displayName: '练市镇民政员', password: 'lianshi-start-2026', roles: 'civil_affairs', regionCode: '330503101' })
  t.equal(created.statusCode, 303)
  const userPath = String(created.headers.location)
  t.match(userPath, /^\/admin\/users\/\d+$/)
  const page = await admin.follow(created)
  t.match(textOf(page.body), /账号 mz-lianshi 已创建/)
  t.match(textOf(page.body), /角色 民政工作人员 辖区或机构 湖州市南浔区南浔镇 状态 正常/)

  const reset = await admin.post(`${userPath}/password-reset`)
  t.equal(reset.statusCode, 200)
  t.equal(reset.headers['cache-control'], 'no-store', 'a page with a password is not kept by the browser')
  const temporary = /<code class="secret">([^<]+)<\/code>/.exec(reset.body)?.[1] ?? ''
  t.ok(temporary.length >= 10, 'the temporary password is on the page')
  t.equal((await signInRequest(app, 'mz-lianshi', 'lianshi-start-2026')).statusCode, 401, 'the old password no longer works')
  t.equal((await signInRequest(app, 'mz-lianshi', temporary)).statusCode, 200, 'the temporary one does')

  const token = await admin.post(`${userPath}/tokens`, { name: '数据交换', scopes: 'household.read', expiresAt: new Date(Date.now() + 30 * 86400_000).toISOString() })
  t.equal(token.statusCode, 201)
  t.equal(token.headers['cache-control'], 'no-store')
  const secret = /<code class="secret">([^<]+)<\/code>/.exec(token.body)?.[1] ?? ''
  t.ok(secret.length >= 20)
  const again = await admin.get(userPath)
  t.notOk(again.body.includes(secret), 'shown once: not on the account page afterwards')
  t.match(textOf(again.body), /数据交换 查看家庭（脱敏） /, 'the token listed with its scope in words')
  const trail = await app.db.selectFrom('audit_records').select(['action', 'details', 'after']).where('action', 'in', ['user.password_reset', 'token.created']).execute()
  t.notOk(JSON.stringify(trail).includes(temporary) || JSON.stringify(trail).includes(secret), 'neither is written to the trail')

  await admin.get('/admin/search')
  const oneWord = await admin.post('/admin/search/wishes/synonyms', { groups: '书包 双肩包\n台灯' })
  t.equal(oneWord.statusCode, 400)
  t.equal(fieldError(oneWord.body, 'groups'), '第 2 行只有一个词，同义词组至少要两个词')
  t.equal((await admin.post('/admin/search/wishes/synonyms', { groups: '书包 、双肩包\n台灯=护眼灯' })).statusCode, 303)
  t.match((await admin.get('/admin/search?synonyms=wishes')).body, />书包 双肩包\n台灯 护眼灯<\/textarea>/, 'each group on its own line, unindented')

  const auditor = new PageClient(app)
  await auditor.signIn('auditor')
  const filtered = await auditor.get('/audit?action=user.*')
  t.equal(filtered.statusCode, 200)
  t.match(textOf(filtered.body), /user\.created/)
  t.notMatch(textOf(filtered.body), /auth\.sign_in/, 'only the actions asked for')
  const badDate = await auditor.get('/audit?from=yesterday')
  t.equal(badDate.statusCode, 200, 'a bad filter shows the trail unfiltered')
  t.match(textOf(badDate.body), /from/)
  t.match(textOf((await auditor.get('/audit/verify')).body), /审计记录完整，没有被改动/)
  const csv = await auditor.get('/audit/export.csv?action=user.created')
  t.equal(csv.statusCode, 200)
  t.match(csv.body, /user\.created/)
  t.equal(csv.body.trim().split('\r\n').length, 2, 'a header and the one record')

  // Someone with superuser rights switches the append-only trigger off and edits a record.
  const superuser = new pg.Client({ connectionString: app.config.databaseUrl })
  await superuser.connect()
  t.teardown(() => superuser.end())
  await superuser.query('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only')
  await superuser.query(`UPDATE audit_records SET actor = 'someone' WHERE id = 2`)
  await superuser.query('ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only')
  const broken = textOf((await auditor.get('/audit/verify')).body)
  t.match(broken, /审计记录在第 2 条断开/)
  t.match(broken, /记录内容与其哈希不一致（该记录被改动）/)
  t.match(broken, /第 2 条之前的 1 条记录完好/)
})
