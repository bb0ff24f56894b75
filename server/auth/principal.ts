// Who is making a request: a signed-in user (cookie session) or an integration acting
// through an API token on behalf of its user, limited to the token's scopes.
import type { Action } from './actions.js'
import type { Account } from '../schemas/users.js'

/** The account acting (regionCode: the subtree prefix of region-bound staff), and how. */
export interface Principal extends Account {
  kind: 'session' | 'token'
  userId: number
  /** Only for API tokens: the actions the token may perform. */
  scopes?: Action[]
  tokenId?: number
}

/** How the principal is named in the audit trail. */
export function actorLabel (principal: Principal): string {
  return principal.kind === 'token' ? `${principal.username} (token ${principal.tokenId})` : principal.username
}
