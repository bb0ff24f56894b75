// Demo logins for every role, created only in demo mode (config.demo; never in production)
// so that `npm start` can be tried at once. They share one documented password, so outside
// demo mode they must not work at all: the server switches them off at every start (users.demo
// marks them) and back on when it starts in demo mode again.
import type { Config } from '../config.js'
import type { Db } from '../db/database.js'
import { appendAudit } from '../audit/chain.js'
import { SYSTEM_ACTOR } from '../audit/plugin.js'
import { hashPassword } from './passwords.js'
import type { Role } from './roles.js'

export const DEMO_PASSWORD = 'shanqiao-demo-2025'
export const DEMO_COUNTY = { code: '330503', name: '湖州市南浔区' }
export const DEMO_TOWN = { code: '330503101', name: '南浔镇' }
const DEMO_ORGANISATION = '南浔区慈善总会'
const DEMO_INSTITUTION = '南浔区阳光培训学校'

export interface DemoAccount {
  role: Role
  username: string
  password: string
  /** Where the account reaches, for the start banner. */
  scope: string
}

/** The region rows the accounts are bound to; the demo data loader may add them too. */
async function ensureRegions (db: Db): Promise<void> {
  await db.insertInto('regions').values([
    { code: DEMO_COUNTY.code, name: DEMO_COUNTY.name, level: 'county', parent_code: null },
    { code: DEMO_TOWN.code, name: DEMO_TOWN.name, level: 'town', parent_code: DEMO_COUNTY.code }
  ]).onConflict(oc => oc.column('code').doNothing()).execute()
}

/** The row with this name, created in the county when absent (names are not unique keys). */
async function namedRow (db: Db, table: 'organisations' | 'institutions', name: string): Promise<number> {
  const found = await db.selectFrom(table).select('id').where('name', '=', name).orderBy('id').executeTakeFirst()
  if (found) return found.id
  const created = await db.insertInto(table).values({ name, region_code: DEMO_COUNTY.code }).returning('id').executeTakeFirstOrThrow()
  return created.id
}

async function demoDonor (db: Db, kind: 'individual' | 'enterprise', name: string): Promise<number> {
  const externalKey = `demo-account:${kind}`
  await db.insertInto('donors').values({ external_key: externalKey, kind, name })
    .onConflict(oc => oc.column('external_key').doNothing()).execute()
  const row = await db.selectFrom('donors').select('id').where('external_key', '=', externalKey).executeTakeFirstOrThrow()
  return row.id
}

/**
 * Outside demo mode: every demo account disabled (which refuses its sign-ins, sessions and
 * API tokens) and its sessions deleted, so none comes back when demo mode does.
 */
async function switchOffDemoAccounts (db: Db): Promise<void> {
  await db.transaction().execute(async trx => {
    const switched = await trx.updateTable('users').set({ disabled_at: new Date() })
      .where('demo', '=', true).where('disabled_at', 'is', null).returning('username').execute()
    await trx.deleteFrom('sessions').where('user_id', 'in', trx.selectFrom('users').select('id').where('demo', '=', true)).execute()
    await auditSwitch(trx, 'user.demo_accounts_disabled', switched)
  })
}

async function auditSwitch (trx: Db, action: string, switched: Array<{ username: string }>): Promise<void> {
  if (switched.length > 0) await appendAudit(trx, { actor: SYSTEM_ACTOR, action, details: { usernames: switched.map(row => row.username) } })
}

/**
 * Demo mode: creates the missing demo accounts and switches all of them on (also one an
 * administrator disabled: demo accounts are there to be tried). Outside demo mode: switches
 * them off and returns [].
 */
export async function seedDemoAccounts (db: Db, config: Pick<Config, 'demo'>): Promise<DemoAccount[]> {
  if (!config.demo) {
    await switchOffDemoAccounts(db)
    return []
  }
  await ensureRegions(db)
  const organisationId = await namedRow(db, 'organisations', DEMO_ORGANISATION)
  const institutionId = await namedRow(db, 'institutions', DEMO_INSTITUTION)
  const county = `${DEMO_COUNTY.code} ${DEMO_COUNTY.name}`
  const accounts = [
    { role: 'admin', username: 'admin', displayName: '系统管理员', scope: '全部 (everything)' },
    { role: 'civil_affairs', username: 'mz-county', displayName: '区民政局 王科员', scope: county, region_code: DEMO_COUNTY.code },
    { role: 'civil_affairs', username: 'mz-nanxun', displayName: '南浔镇 社会事务办 李干事', scope: `${DEMO_TOWN.code} ${DEMO_TOWN.name}`, region_code: DEMO_TOWN.code },
    { role: 'charity_staff', username: 'cszh', displayName: '区慈善总会 陈干事', scope: DEMO_ORGANISATION, organisation_id: organisationId },
    { role: 'donor', username: 'donor-person', displayName: '爱心人士 赵女士', scope: '个人捐赠者 (individual donor)', donor_id: await demoDonor(db, 'individual', '赵女士') },
    { role: 'donor', username: 'donor-company', displayName: '南浔爱心企业有限公司', scope: '爱心企业 (enterprise donor)', donor_id: await demoDonor(db, 'enterprise', '南浔爱心企业有限公司') },
    { role: 'institution', username: 'training', displayName: DEMO_INSTITUTION, scope: DEMO_INSTITUTION, institution_id: institutionId },
    { role: 'auditor', username: 'auditor', displayName: '区审计 周审计员', scope: county, region_code: DEMO_COUNTY.code }
  ] as const
  const existing = new Set((await db.selectFrom('users').select('username')
    .where('username', 'in', accounts.map(a => a.username)).execute()).map(row => row.username))
  const missing = accounts.filter(account => !existing.has(account.username))
  // Hashing costs a noticeable fraction of a second: only when there is an account to create.
  const passwordHash = missing.length > 0 ? await hashPassword(DEMO_PASSWORD) : ''
  for (const { role, username, displayName, scope: _scope, ...binding } of missing) {
    await db.insertInto('users').values({
      username,
      display_name: displayName,
      password_hash: passwordHash,
      roles: [role],
      contact_verified_at: role === 'donor' ? new Date() : null,
      demo: true,
      ...binding
    }).onConflict(oc => oc.column('username').doNothing()).execute()
  }
  await db.transaction().execute(async trx => {
    const switched = await trx.updateTable('users').set({ disabled_at: null })
      .where('demo', '=', true).where('disabled_at', 'is not', null).returning('username').execute()
    await auditSwitch(trx, 'user.demo_accounts_enabled', switched)
  })
  return accounts.map(({ role, username, scope }) => ({ role, username, password: DEMO_PASSWORD, scope }))
}
