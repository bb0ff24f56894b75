// A wish may say what its help is beyond its category (winter_clothing: a coat for this
// winter), so that the help it becomes carries the tag into the chain and the seasonal window
// ("no second winter-clothing wish in the same season") can refuse a second one; a clerk who
// raises it anyway writes why.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE wishes
      ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
      ADD COLUMN override_reason text;
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE wishes DROP COLUMN tags, DROP COLUMN override_reason`.execute(db)
}
