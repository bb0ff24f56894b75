// What the pages need from the database: in-app notifications (the bell), password reset
// codes, and impact notes from charity staff among a donor's messages.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per person and event. (kind, subject) names the event — 'claim_due_soon' about
    -- 'claim:12' — so that a job that runs again, or two workers at once, notify only once.
    CREATE TABLE notifications (
      id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      kind       text NOT NULL,
      subject    text NOT NULL,
      body       text NOT NULL,
      link       text,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at    timestamptz,
      -- Sent to the person's phone or e-mail as well, for those who asked for it.
      sent_at    timestamptz,
      UNIQUE (user_id, kind, subject)
    );
    CREATE INDEX notifications_user ON notifications (user_id, id DESC);
    -- Every page shows the unread count: it must cost one index probe.
    CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
    CREATE INDEX notifications_unsent ON notifications (created_at) WHERE sent_at IS NULL;

    -- A password reset code, stored hashed like the contact code, usable once and for minutes.
    ALTER TABLE users ADD COLUMN reset_code_hash bytea, ADD COLUMN reset_code_expires timestamptz;

    ALTER TABLE donor_messages DROP CONSTRAINT donor_messages_kind_check;
    ALTER TABLE donor_messages ADD CONSTRAINT donor_messages_kind_check CHECK (kind IN ('claim_expired', 'thanks', 'impact'));
    -- Who wrote a note (an impact note comes from a charity's staff; the platform's own have none).
    ALTER TABLE donor_messages ADD COLUMN sender text;
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE donor_messages DROP COLUMN sender;
    DELETE FROM donor_messages WHERE kind = 'impact';
    ALTER TABLE donor_messages DROP CONSTRAINT donor_messages_kind_check;
    ALTER TABLE donor_messages ADD CONSTRAINT donor_messages_kind_check CHECK (kind IN ('claim_expired', 'thanks'));
    ALTER TABLE users DROP COLUMN reset_code_hash, DROP COLUMN reset_code_expires;
    DROP TABLE notifications;
  `.execute(db)
}
