// An account as the API shows it (never its password hash or a verification code), the
// account fields a request's principal carries too (auth/principal.ts), and its API tokens.
import { Type, type Static } from 'typebox'
import { ROLES, STAFF_ROLES, type Role } from '../auth/roles.js'
import { formBody } from '../auth/csrf.js'
import { USERNAME_PATTERN } from '../auth/users.js'

/** Who the account is and what it is bound to. */
const accountFields = {
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] })),
  regionCode: Type.Union([Type.String(), Type.Null()], { description: '区域绑定（民政、审计）：辖区代码前缀' }),
  organisationId: Type.Union([Type.Integer(), Type.Null()]),
  institutionId: Type.Union([Type.Integer(), Type.Null()]),
  donorId: Type.Union([Type.Integer(), Type.Null()]),
  contactVerified: Type.Boolean()
}
const AccountSchema = Type.Object(accountFields)
export type Account = Static<typeof AccountSchema>

export const PublicUserSchema = Type.Object({
  id: Type.Integer(),
  ...AccountSchema.properties,
  disabled: Type.Boolean(),
  createdAt: Type.String()
})
export type PublicUser = Static<typeof PublicUserSchema>

/** An API token as listed: never the token itself (shown once, when created). */
export const ApiTokenSchema = Type.Object({
  id: Type.Integer(),
  userId: Type.Integer(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revoked: Type.Boolean()
})
export type ApiTokenInfo = Static<typeof ApiTokenSchema>

const roleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] })
const staffRoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...STAFF_ROLES] })
const regionCode = Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' })

/** A staff account as an administrator creates it (API and page form alike). */
export const NewUserBody = formBody({
  username: Type.String({ pattern: USERNAME_PATTERN }),
  displayName: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ maxLength: 400 }),
  roles: Type.Array(staffRoleSchema, { minItems: 1, uniqueItems: true }),
  regionCode: Type.Optional(regionCode),
  organisationId: Type.Optional(Type.Integer({ minimum: 1 })),
  institutionId: Type.Optional(Type.Integer({ minimum: 1 }))
})

/** What an administrator changes of an account. */
export const UserChangesBody = formBody({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  roles: Type.Optional(Type.Array(roleSchema, { minItems: 1, uniqueItems: true })),
  regionCode: Type.Optional(Type.Union([regionCode, Type.Null()])),
  organisationId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  institutionId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  disabled: Type.Optional(Type.Boolean())
})

/** An API token as an administrator creates it. */
export const NewTokenBody = formBody({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scopes: Type.Array(Type.String(), { minItems: 1, uniqueItems: true }),
  expiresAt: Type.String({ format: 'date-time' })
})
