// The users repository: accounts, their roles and what they are bound to.
import type { Selectable } from 'kysely'
import type { Db } from '../db/database.js'
import type { UserTable } from '../db/schema.js'
import { conflict, invalid, notFound, type ErrorDetail } from '../http/errors.js'
import { hashPassword, passwordProblems } from './passwords.js'
import { inScope, scopePattern, type RegionScope } from '../db/scope.js'
import type { Principal } from './principal.js'
import type { PublicUser } from '../schemas/users.js'
import { isRole, type Role } from './roles.js'

export type UserRow = Selectable<UserTable>

export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{2,39}$'

export function normaliseUsername (username: string): string {
  return username.normalize('NFKC').trim().toLowerCase()
}

export function principalOf (user: UserRow, token?: { id: number, scopes: string[] }): Principal {
  const principal: Principal = {
    kind: token ? 'token' : 'session',
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: user.roles.filter(isRole),
    regionCode: user.region_code,
    organisationId: user.organisation_id,
    institutionId: user.institution_id,
    donorId: user.donor_id,
    contactVerified: user.contact_verified_at !== null
  }
  if (token) {
    principal.tokenId = token.id
    principal.scopes = token.scopes as Principal['scopes']
  }
  return principal
}

export function publicUser (user: UserRow): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: user.roles.filter(isRole),
    regionCode: user.region_code,
    organisationId: user.organisation_id,
    institutionId: user.institution_id,
    donorId: user.donor_id,
    contactVerified: user.contact_verified_at !== null,
    disabled: user.disabled_at !== null,
    createdAt: user.created_at.toISOString()
  }
}

export interface Binding {
  roles: Role[]
  regionCode?: string | null
  organisationId?: number | null
  institutionId?: number | null
  donorId?: number | null
}

/** Every role needs what it is bound to; the referenced region / organisation / institution must exist. */
async function bindingProblems (db: Db, binding: Binding): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = []
  const { roles } = binding
  if (roles.length === 0) problems.push({ field: 'body.roles', code: 'required', message: '至少需要一个角色' })
  if ((roles.includes('civil_affairs') || roles.includes('auditor')) && !binding.regionCode) {
    problems.push({ field: 'body.regionCode', code: 'required', message: '民政和审计人员必须绑定行政区划' })
  }
  if (roles.includes('charity_staff') && binding.organisationId == null) {
    problems.push({ field: 'body.organisationId', code: 'required', message: '慈善总会工作人员必须绑定机构' })
  }
  if (roles.includes('institution') && binding.institutionId == null) {
    problems.push({ field: 'body.institutionId', code: 'required', message: '培训机构账号必须绑定培训机构' })
  }
  if (roles.includes('donor') && binding.donorId == null) {
    problems.push({ field: 'body.roles', code: 'donor_self_registration', message: '爱心人士账号需自行注册' })
  }
  const exists = async (table: 'regions' | 'organisations' | 'institutions', column: 'code' | 'id', value: string | number) =>
    (await db.selectFrom(table).select(column).where(column, '=', value as never).executeTakeFirst()) !== undefined
  if (binding.regionCode && !await exists('regions', 'code', binding.regionCode)) {
    problems.push({ field: 'body.regionCode', code: 'unknown', message: `行政区划 ${binding.regionCode} 不存在` })
  }
  if (binding.organisationId != null && !await exists('organisations', 'id', binding.organisationId)) {
    problems.push({ field: 'body.organisationId', code: 'unknown', message: '机构不存在' })
  }
  if (binding.institutionId != null && !await exists('institutions', 'id', binding.institutionId)) {
    problems.push({ field: 'body.institutionId', code: 'unknown', message: '培训机构不存在' })
  }
  return problems
}

export { invalid }

export interface NewUser extends Binding {
  username: string
  displayName: string
  password: string
  contact?: string | null
}

export async function createUser (db: Db, input: NewUser): Promise<UserRow> {
  const username = normaliseUsername(input.username)
  const problems = await bindingProblems(db, input)
  if (!new RegExp(USERNAME_PATTERN).test(username)) {
    problems.push({ field: 'body.username', code: 'pattern', message: '用户名为 3–40 位小写字母、数字或 . _ -' })
  }
  for (const message of passwordProblems(input.password, username)) problems.push({ field: 'body.password', code: 'password_policy', message })
  if (problems.length > 0) throw invalid(problems)
  const row = await db.insertInto('users').values({
    username,
    display_name: input.displayName,
    password_hash: await hashPassword(input.password),
    roles: input.roles,
    region_code: input.regionCode ?? null,
    organisation_id: input.organisationId ?? null,
    institution_id: input.institutionId ?? null,
    donor_id: input.donorId ?? null,
    contact: input.contact ?? null
  }).onConflict(oc => oc.column('username').doNothing()).returningAll().executeTakeFirst()
  if (!row) throw conflict('username_taken', `用户名 ${username} 已被使用 (username taken)`)
  return row
}

export async function findUserByUsername (db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst()
}

/** A user inside the scope (staff without a region are visible only to an unscoped reader). */
export async function getUser (db: Db, scope: RegionScope, id: number): Promise<UserRow> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  const visible = row && (scope.regionPrefix === '' || (row.region_code !== null && inScope(scope, row.region_code)))
  if (!visible) throw notFound('该用户 (user)')
  return row
}

export interface UserFilter {
  role?: Role
  limit: number
  offset: number
}

export async function listUsers (db: Db, scope: RegionScope, filter: UserFilter): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().orderBy('id').limit(filter.limit).offset(filter.offset)
  if (scope.regionPrefix !== '') query = query.where('region_code', 'like', scopePattern(scope))
  if (filter.role) query = query.where(eb => eb(eb.val(filter.role as string), '=', eb.fn.any('roles')))
  return query.execute()
}

export interface UserChanges extends Partial<Binding> {
  displayName?: string
  disabled?: boolean
}

export async function updateUser (db: Db, before: UserRow, changes: UserChanges): Promise<UserRow> {
  const binding: Binding = {
    roles: changes.roles ?? before.roles.filter(isRole),
    regionCode: changes.regionCode !== undefined ? changes.regionCode : before.region_code,
    organisationId: changes.organisationId !== undefined ? changes.organisationId : before.organisation_id,
    institutionId: changes.institutionId !== undefined ? changes.institutionId : before.institution_id,
    donorId: before.donor_id
  }
  const problems = await bindingProblems(db, binding)
  if (problems.length > 0) throw invalid(problems)
  return db.updateTable('users').set({
    display_name: changes.displayName ?? before.display_name,
    roles: binding.roles,
    region_code: binding.regionCode ?? null,
    organisation_id: binding.organisationId ?? null,
    institution_id: binding.institutionId ?? null,
    disabled_at: changes.disabled === undefined ? before.disabled_at : changes.disabled ? (before.disabled_at ?? new Date()) : null,
    updated_at: new Date()
  }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow()
}

export async function setPassword (db: Db, userId: number, password: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: await hashPassword(password), updated_at: new Date() }).where('id', '=', userId).execute()
}
