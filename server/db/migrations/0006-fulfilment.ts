// Fulfilment of confirmed proposals, its evidence, and the key that makes writing the help
// back into the assistance chain happen exactly once.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE fulfilments (
      proposal_id  bigint PRIMARY KEY REFERENCES proposals (id),
      state        text NOT NULL DEFAULT 'in_progress' CHECK (state IN ('in_progress', 'delivered', 'received')),
      due_on       date NOT NULL,
      delivered_on date,
      received_on  date,
      note         text,
      updated_at   timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE evidence (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      proposal_id  bigint NOT NULL REFERENCES proposals (id),
      file_name    text NOT NULL,
      content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
      bytes        integer NOT NULL CHECK (bytes > 0),
      sha256       text NOT NULL,
      uploaded_by  bigint,
      uploaded_at  timestamptz NOT NULL DEFAULT now()
    );

    -- Where an entry came from (e.g. 'proposal:42'): a retried completion cannot append twice.
    ALTER TABLE assistance_entries ADD COLUMN origin text UNIQUE;
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assistance_entries DROP COLUMN origin; DROP TABLE evidence, fulfilments`.execute(db)
}
