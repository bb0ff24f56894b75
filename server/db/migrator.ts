import { Migrator, type Migration } from 'kysely'
import type { Db } from './database.js'
import * as foundation from './migrations/0001-foundation.js'
import * as identity from './migrations/0002-identity.js'
import * as registry from './migrations/0003-registry.js'
import * as matching from './migrations/0005-matching.js'
import * as fulfilment from './migrations/0006-fulfilment.js'
import * as needsAndSupply from './migrations/0007-needs-and-supply.js'
import * as registryFixes from './migrations/0008-registry-fixes.js'
import * as proposalFixes from './migrations/0009-proposal-fixes.js'
import * as identityFixes from './migrations/0012-identity-fixes.js'
import * as populationChanges from './migrations/0013-population-changes.js'
import * as projectScoring from './migrations/0014-project-scoring.js'
import * as wishTags from './migrations/0015-wish-tags.js'
import * as membersLeft from './migrations/0016-members-left.js'
import * as searchOutboxLease from './migrations/0017-search-outbox-lease.js'
import * as wishSearchFallback from './migrations/0018-wish-search-fallback.js'
import * as decisionTraces from './migrations/0019-decision-traces.js'
import * as accountsAndNotifications from './migrations/0020-accounts-and-notifications.js'
import * as personOutcomes from './migrations/0030-person-outcomes.js'
import * as monitoring from './migrations/0040-monitoring.js'
import * as loginAttemptsChecking from './migrations/0050-login-attempts-checking.js'
import * as workbench from './migrations/0070-workbench.js'
import * as projectPause from './migrations/0080-project-pause.js'
import * as statistics from './migrations/0090-statistics.js'
import * as householdList from './migrations/0170-household-list.js'
import * as feedImportSpeed from './migrations/0190-feed-import-speed.js'
import * as helpFlagFixes from './migrations/0191-help-flag-fixes.js'

// Migrations are listed here rather than discovered on disk, so the same code runs under
// tsx, in tests and in a bundled build. Names sort in the order they must run.
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-identity': identity,
  '0003-registry': registry,
  '0005-matching': matching,
  '0006-fulfilment': fulfilment,
  '0007-needs-and-supply': needsAndSupply,
  '0008-registry-fixes': registryFixes,
  '0009-proposal-fixes': proposalFixes,
  '0012-identity-fixes': identityFixes,
  '0013-population-changes': populationChanges,
  '0014-project-scoring': projectScoring,
  '0015-wish-tags': wishTags,
  '0016-members-left': membersLeft,
  '0017-search-outbox-lease': searchOutboxLease,
  '0018-wish-search-fallback': wishSearchFallback,
  '0019-decision-traces': decisionTraces,
  '0020-accounts-and-notifications': accountsAndNotifications,
  '0030-person-outcomes': personOutcomes,
  '0040-monitoring': monitoring,
  '0050-login-attempts-checking': loginAttemptsChecking,
  '0070-workbench': workbench,
  '0080-project-pause': projectPause,
  '0090-statistics': statistics,
  '0170-household-list': householdList,
  '0190-feed-import-speed': feedImportSpeed,
  '0191-help-flag-fixes': helpFlagFixes
}

export async function migrateToLatest (db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find(result => result.status === 'Error')
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`)
  }
}
