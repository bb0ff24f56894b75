// Members who left are found by their ID number's blind index too (a department record about a
// former member is reported as such, not as a stranger): without this index every such look-up
// read the whole persons table, since the unique index covers current members only (0016).
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX persons_former_blind_index ON persons (id_blind_index) WHERE left_on IS NOT NULL`.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX persons_former_blind_index`.execute(db)
}
