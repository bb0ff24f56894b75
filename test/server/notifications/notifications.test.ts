// In-app notifications for a donor's claim: a reminder two days before the due day (once, and
// not for those who turned it off), the wish returned when the claim lapses, the receipt
// confirmed, the thanks — each once per event, whatever reruns; read one or all through the
// API; and sent on to the phone or e-mail of those who asked, through real SMTP and HTTP peers.
import t from 'tap'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { sql } from 'kysely'
import { SMTPServer } from 'smtp-server'
import pino from 'pino'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { PNG, publishedWish, registerHousehold } from '../../helpers/needs.js'
import { expireClaims, remindClaimsDueSoon } from '../../../server/needs/claims.js'
import { completeWishFeedback } from '../../../server/needs/feedback.js'
import { sendNotificationsByContact } from '../../../server/notifications/delivery.js'
import { configuredSender, type OutgoingMessage } from '../../../server/messaging/senders.js'
import { today } from '../../../server/clock.js'
import { addDays } from '../../../matching/dates.js'

async function world (t: { teardown: (fn: () => unknown) => void }) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '周大川', birthDate: '1975-03-03', sex: 'male' }, { name: '周小禾', birthDate: '2016-05-05', sex: 'female', schoolStage: 'primary' }])
  const wishes = [await publishedWish(clerk, family.personIds[1] as number, { item: '台灯', value: 90 }), await publishedWish(clerk, family.personIds[0] as number, { category: 'clothing', item: '棉衣', value: 200 })]
  const donor = await signIn(app, 'donor-person')
  const claims = []
  for (const wish of wishes) claims.push((await donor.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })).json() as { id: number })
  const userId = (await app.db.selectFrom('users').select('id').where('username', '=', 'donor-person').executeTakeFirstOrThrow()).id
  const notes = async () => app.db.selectFrom('notifications').select(['kind', 'subject', 'link', 'body']).where('user_id', '=', userId).orderBy('id').execute()
  return { app, clerk, donor, claims, wishes, userId, notes }
}

t.test('each event of a claim notifies the donor once', async t => {
  const { app, clerk, donor, claims, notes } = await world(t)
  const [lamp, coat] = claims as [{ id: number }, { id: number }]
  t.equal(await remindClaimsDueSoon(app.db, today()), 0, 'fourteen days to go: nothing due')
  await sql`UPDATE claims SET due_on = ${addDays(today(), 2)} WHERE id = ${lamp.id}`.execute(app.db)
  t.equal(await remindClaimsDueSoon(app.db, today()), 1)
  t.equal(await remindClaimsDueSoon(app.db, today()), 1, 'still due…')
  const reminders = (await notes()).filter(n => n.kind === 'claim_due_soon')
  t.equal(reminders.length, 1, '…but reminded once')
  t.match(reminders[0], { subject: `claim:${lamp.id}`, link: `/me/claims/${lamp.id}` })
  t.match(reminders[0]?.body, new RegExp(`「台灯」（南浔镇 .+）需在${Number(addDays(today(), 2).slice(5, 7))}月${Number(addDays(today(), 2).slice(8))}日前送达`))

  // A lapsed claim: the wish goes back, the donor hears why.
  await sql`UPDATE claims SET due_on = ${addDays(today(), -1)} WHERE id = ${coat.id}`.execute(app.db)
  await expireClaims(app.db, today())
  await expireClaims(app.db, today())
  t.match((await notes()).filter(n => n.kind === 'claim_expired'), [{ subject: `claim:${coat.id}`, body: /棉衣.*重新开放/ }])

  // Delivered, received, thanked.
  await donor.call({ method: 'POST', url: `/api/v1/claims/${lamp.id}/evidence?fileName=photo.png`, headers: { 'content-type': 'image/png' }, payload: PNG })
  await donor.call({ method: 'POST', url: `/api/v1/claims/${lamp.id}/delivered`, payload: {} })
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/claims/${lamp.id}/confirm`, payload: {} })).statusCode, 200)
  await completeWishFeedback(app.db, lamp.id)
  await completeWishFeedback(app.db, lamp.id)
  const all = await notes()
  t.same(all.map(n => n.kind), ['claim_due_soon', 'claim_expired', 'claim_confirmed', 'thanks'])
  t.match(all[2], { kind: 'claim_confirmed', link: `/me/claims/${lamp.id}`, body: /已确认收到您送去的「台灯」/ })
  t.match(all[3], { kind: 'thanks', link: '/me/messages', body: /感谢信.*台灯/ })
  t.notMatch(JSON.stringify(all), /周大川|周小禾/, 'no names in any notification')
})

t.test('a donor who turned reminders off is not reminded', async t => {
  const { app, donor, claims, notes } = await world(t)
  const off = await donor.call({ method: 'PATCH', url: '/api/v1/donors/me', payload: { preferences: { remindDueSoon: false } } })
  t.equal(off.statusCode, 200)
  t.equal(off.json().preferences.remindDueSoon, false)
  await sql`UPDATE claims SET due_on = ${today()} WHERE id = ${(claims[0] as { id: number }).id}`.execute(app.db)
  t.equal(await remindClaimsDueSoon(app.db, today()), 0)
  t.same(await notes(), [])
})

t.test('the API lists one\'s own notifications and marks them read', async t => {
  const { app, claims, userId } = await world(t)
  for (const claim of claims) await sql`UPDATE claims SET due_on = ${today()} WHERE id = ${claim.id}`.execute(app.db)
  await remindClaimsDueSoon(app.db, today())
  const donor = await signIn(app, 'donor-person')
  const list = await donor.call({ method: 'GET', url: '/api/v1/notifications' })
  t.equal(list.statusCode, 200)
  t.match(list.json(), { total: 2, unread: 2, items: [{ kind: 'claim_due_soon', read: false, link: `/me/claims/${(claims[1] as { id: number }).id}` }, { kind: 'claim_due_soon', read: false }] })
  const first = list.json().items[0].id as number
  const read = await donor.call({ method: 'POST', url: `/api/v1/notifications/${first}/read` })
  t.match(read.json(), { id: first, read: true })
  t.match((await donor.call({ method: 'GET', url: '/api/v1/notifications?unread=true' })).json(), { total: 1, unread: 1 })
  const other = await signIn(app, 'donor-company')
  t.equal((await other.call({ method: 'POST', url: `/api/v1/notifications/${first}/read` })).statusCode, 404, 'another\'s notification is not found')
  t.same((await other.call({ method: 'GET', url: '/api/v1/notifications' })).json(), { items: [], total: 0, unread: 0 })
  t.same((await donor.call({ method: 'POST', url: '/api/v1/notifications/read-all' })).json(), { marked: 1 })
  const left = await app.db.selectFrom('notifications').select(eb => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow()
  t.equal(Number(left.n), 0)
})

t.test('notifications go to the verified contact of those who asked, once each', async t => {
  const { app, donor, claims, userId } = await world(t)
  const sent: OutgoingMessage[] = []
  const capture = { send: async (message: OutgoingMessage) => { sent.push(message) } }
  for (const claim of claims) await sql`UPDATE claims SET due_on = ${today()} WHERE id = ${claim.id}`.execute(app.db)
  await app.db.updateTable('users').set({ contact: '13812345678' }).where('id', '=', userId).execute()
  await remindClaimsDueSoon(app.db, today())
  t.same(await sendNotificationsByContact(app.db, capture), { sent: 0, failed: 0 }, 'not asked for: nothing sent')
  await donor.call({ method: 'PATCH', url: '/api/v1/donors/me', payload: { preferences: { notifyByContact: true } } })
  t.same(await sendNotificationsByContact(app.db, capture), { sent: 2, failed: 0 })
  t.same(await sendNotificationsByContact(app.db, capture), { sent: 0, failed: 0 }, 'each once')
  t.same(sent.map(m => m.to), ['13812345678', '13812345678'])
  t.match(sent[0]?.text, /^【善桥】您认领的/)

  // A failing channel: the notification waits for the next run.
  await sql`UPDATE notifications SET sent_at = NULL`.execute(app.db)
  t.same(await sendNotificationsByContact(app.db, { send: async () => { throw new Error('down') } }), { sent: 0, failed: 2 })
  t.same(await sendNotificationsByContact(app.db, capture), { sent: 2, failed: 0 })
  // An unverified contact gets nothing.
  await sql`UPDATE notifications SET sent_at = NULL`.execute(app.db)
  await app.db.updateTable('users').set({ contact_verified_at: null }).where('id', '=', userId).execute()
  t.same(await sendNotificationsByContact(app.db, capture), { sent: 0, failed: 0 })
})

t.test('the configured channels: e-mail through a real SMTP server, phones through the SMS hook, else the log', async t => {
  const mails: Array<{ to: string, data: string }> = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData (stream, session, callback) {
      let data = ''
      stream.on('data', chunk => { data += String(chunk) })
      stream.on('end', () => { mails.push({ to: session.envelope.rcptTo.map(r => r.address).join(','), data }); callback() })
    }
  })
  smtp.listen(0, '127.0.0.1')
  await once(smtp.server, 'listening')
  t.teardown(() => new Promise(resolve => smtp.close(() => resolve(undefined))))
  const smtpPort = (smtp.server.address() as { port: number }).port

  const hooks: Array<{ authorization: string | undefined, body: unknown }> = []
  const gateway = createServer((request, response) => {
    let body = ''
    request.on('data', chunk => { body += String(chunk) })
    request.on('end', () => {
      hooks.push({ authorization: request.headers.authorization, body: JSON.parse(body) })
      response.statusCode = hooks.length === 2 ? 500 : 200
      response.end()
    })
  })
  gateway.listen(0, '127.0.0.1')
  await once(gateway, 'listening')
  t.teardown(() => new Promise(resolve => gateway.close(() => resolve(undefined))))
  const gatewayPort = (gateway.address() as { port: number }).port

  const logged: unknown[] = []
  const log = pino({ level: 'info' }, { write: (line: string) => { logged.push(JSON.parse(line)) } })
  const sender = configuredSender({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, smtpFrom: 'noreply@shanqiao.test', smsWebhookUrl: `http://127.0.0.1:${gatewayPort}/sms`, smsWebhookToken: 'hook-secret' }, log)
  await sender.send({ to: 'donor@example.org', subject: '善桥 联系方式验证码', text: '【善桥】您的验证码是 123456' })
  t.equal(mails.length, 1)
  t.equal(mails[0]?.to, 'donor@example.org')
  t.match(mails[0]?.data, /From: noreply@shanqiao\.test/)
  await sender.send({ to: '13900001111', subject: '善桥通知', text: '【善桥】测试' })
  t.same(hooks, [{ authorization: 'Bearer hook-secret', body: { to: '13900001111', text: '【善桥】测试' } }])
  await t.rejects(sender.send({ to: '13900001111', subject: 's', text: 't' }), /SMS gateway answered 500/, 'a refusal is an error the caller sees')

  const quiet = configuredSender({ smtpUrl: undefined, smtpFrom: 'x', smsWebhookUrl: undefined, smsWebhookToken: undefined }, log)
  await quiet.send({ to: '13900002222', subject: '善桥通知', text: '只写日志' })
  t.match(logged, [{ to: '13900002222', text: '只写日志', msg: /logged, not sent/ }])
})
