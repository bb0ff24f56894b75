// An account as the API shows it (never its password hash or a verification code), the
// account fields a request's principal carries too (auth/principal.ts), and its API tokens.
import { Type, type Static } from 'typebox'
import { ROLES, type Role } from '../auth/roles.js'

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
