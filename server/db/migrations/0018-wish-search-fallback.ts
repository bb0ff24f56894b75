// The donor search's PostgreSQL fallback (server/search/wish-search.ts) walks published wishes
// in the order asked — newest first, or the nearest need first — and stops after a bounded
// window, so both orders are indexed over published wishes only. pg_trgm would not help: under
// the C locale the embedded PostgreSQL runs with, it finds no trigrams in Chinese text.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX wishes_published_newest ON wishes (published_at DESC, id) WHERE state = 'published';
    CREATE INDEX wishes_published_urgency ON wishes (needed_by ASC NULLS LAST, published_at, id) WHERE state = 'published';
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX wishes_published_urgency, wishes_published_newest`.execute(db)
}
