// Verification codes are messages to someone's phone or inbox: rate-limited so that nobody
// can flood a phone or run up the SMS bill.
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { CODES_PER_ADDRESS_HOUR, CODES_PER_TARGET_HOUR } from '../../../server/auth/one-time-codes.js'

t.test('verification codes are rate-limited per account, per contact and per address', async t => {
  const app = await appWithAccounts(t)
  const sent: string[] = []
  app.messages.send = async ({ to }) => { sent.push(to) }
  const register = (username: string, contact: string, remoteAddress = '10.2.0.1') => app.inject({
    method: 'POST', url: '/api/v1/auth/register', remoteAddress,
    payload: { username, password: 'my-long-password', kind: 'individual', name: '捐赠者', contact }
  })
  t.equal((await register('donor-one', '13900000001')).statusCode, 201)
  const donor = await signIn(app, 'donor-one', 'my-long-password')
  const resend = () => donor.call({ method: 'POST', url: '/api/v1/auth/verify-contact/resend' })
  for (let i = 1; i < CODES_PER_TARGET_HOUR; i++) t.equal((await resend()).statusCode, 204)
  const limited = await resend()
  t.equal(limited.statusCode, 429, 'per account and its contact: the registration code and four resends an hour')
  t.equal(limited.json().error.code, 'too_many_attempts')
  t.equal(sent.length, CODES_PER_TARGET_HOUR, 'no message sent when refused')

  // Another account, from another address, with the same phone: the phone is protected.
  t.equal((await register('donor-two', '13900000001', '10.2.0.2')).statusCode, 429, 'per contact')

})

t.test('verification codes are rate-limited per client address', async t => {
  const app = await appWithAccounts(t)
  app.messages.send = async () => {}
  const register = (username: string, contact: string, remoteAddress: string) => app.inject({
    method: 'POST', url: '/api/v1/auth/register', remoteAddress,
    payload: { username, password: 'my-long-password', kind: 'individual', name: '捐赠者', contact }
  })
  // Fresh accounts and phones, but all their resends from one address (127.0.0.1).
  const perAccount = CODES_PER_TARGET_HOUR - 1
  const accounts = Math.ceil(CODES_PER_ADDRESS_HOUR / perAccount) + 1
  const statuses: number[] = []
  for (let i = 0; i < accounts; i++) {
    t.equal((await register(`donor-many-${i}`, `1390000010${i}`, `10.3.0.${i}`)).statusCode, 201)
    const session = await signIn(app, `donor-many-${i}`, 'my-long-password')
    for (let j = 0; j < perAccount; j++) statuses.push((await session.call({ method: 'POST', url: '/api/v1/auth/verify-contact/resend' })).statusCode)
  }
  t.same(statuses.slice(0, CODES_PER_ADDRESS_HOUR).filter(s => s !== 204), [], 'up to the address limit')
  t.equal(statuses[CODES_PER_ADDRESS_HOUR], 429, 'per address')
})
