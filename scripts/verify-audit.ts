// Verifies the audit trail's hash chain and reports the first broken link.
//   DATABASE_URL=postgres://… node --import tsx scripts/verify-audit.ts
// Exit code 0: the chain is sound (its last id and hash are printed: note them, so that a
// later removal of the newest records can be noticed); 1: broken; 2: could not check.
import { createDb } from '../server/db/database.js'
import { verifyAuditChain } from '../server/audit/chain.js'

const url = process.env.DATABASE_URL
if (!url) {
  console.error('DATABASE_URL is required (the database whose audit trail to verify)')
  process.exit(2)
}
const db = createDb(url, 1)
try {
  const result = await verifyAuditChain(db)
  if (result.ok) {
    console.log(`审计链完整 (audit chain intact): ${result.checked} records, last id ${result.lastId}, last hash ${result.lastHash}`)
  } else {
    console.log(`${result.message} (broken at record ${result.brokenAt}: ${result.reason}; ${result.checked} records before it are intact)`)
  }
  process.exitCode = result.ok ? 0 : 1
} catch (error) {
  console.error(`could not verify the audit chain: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 2
} finally {
  await db.destroy()
}
