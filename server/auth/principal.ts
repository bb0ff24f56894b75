// Who is making a request: a signed-in user (cookie session) or an integration acting
// through an API token on behalf of its user, limited to the token's scopes.
import type { Role } from './roles.js'
import type { Action } from './actions.js'

export interface Principal {
  kind: 'session' | 'token'
  userId: number
  username: string
  displayName: string
  roles: Role[]
  /** Region subtree prefix for region-bound staff; null for everyone else. */
  regionCode: string | null
  organisationId: number | null
  institutionId: number | null
  donorId: number | null
  contactVerified: boolean
  /** Only for API tokens: the actions the token may perform. */
  scopes?: Action[]
  tokenId?: number
}

/** How the principal is named in the audit trail. */
export function actorLabel (principal: Principal): string {
  return principal.kind === 'token' ? `${principal.username} (token ${principal.tokenId})` : principal.username
}
