// The search outbox is claimed, not locked: a sync marks a batch with its lease in a short
// transaction, pushes it to Meilisearch with no transaction open, and deletes the rows it
// still holds once Meilisearch has applied them (server/search/outbox.ts). A sync that dies
// leaves rows whose lease runs out, and the next one takes them.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE search_outbox
      ADD COLUMN lease        uuid,
      ADD COLUMN leased_until timestamptz,
      ADD CONSTRAINT search_outbox_lease CHECK ((lease IS NULL) = (leased_until IS NULL));
    -- Finding whether another sync holds a document.
    CREATE INDEX search_outbox_document ON search_outbox (index_name, document_id);
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX search_outbox_document;
    ALTER TABLE search_outbox DROP CONSTRAINT search_outbox_lease, DROP COLUMN leased_until, DROP COLUMN lease;
  `.execute(db)
}
