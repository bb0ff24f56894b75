// Registry fixes: the day a household's status began (the monitored-object windows count
// from it), last year's income (Shanxi's 收入大幅缩减), a gradual exit always with its end,
// a reversal's reason kept apart from the original reference, import warnings that do not
// block an import (an unknown column), and category decisions append-only like the chain.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE households
      ADD COLUMN status_since date,
      ADD COLUMN previous_annual_income numeric(14, 2) CHECK (previous_annual_income >= 0);
    -- Before this column the day a status began was not kept: the registration day is the best known.
    UPDATE households SET status_since = (created_at AT TIME ZONE 'Asia/Shanghai')::date;
    ALTER TABLE households
      ALTER COLUMN status_since SET NOT NULL,
      ALTER COLUMN status_since SET DEFAULT (now() AT TIME ZONE 'Asia/Shanghai')::date,
      -- NOT VALID: rows written before may lack the end; the expiry reclassifies those at once.
      ADD CONSTRAINT households_gradual_exit_until CHECK ((status = 'gradual_exit') = (gradual_exit_until IS NOT NULL)) NOT VALID;

    ALTER TABLE assistance_entries
      ADD COLUMN reversal_reason text,
      ADD CONSTRAINT assistance_entries_reversal_reason CHECK (reversal_reason IS NULL OR reverses IS NOT NULL);

    ALTER TABLE import_problems ADD COLUMN severity text NOT NULL DEFAULT 'error' CHECK (severity IN ('error', 'warning'));

    -- Decisions are a history: never edited, never deleted, so a household with decisions
    -- cannot be deleted either (households leave by status, not by deletion).
    ALTER TABLE category_decisions
      DROP CONSTRAINT category_decisions_household_id_fkey,
      ADD CONSTRAINT category_decisions_household_id_fkey FOREIGN KEY (household_id) REFERENCES households (id);
    CREATE TRIGGER category_decisions_append_only BEFORE UPDATE OR DELETE ON category_decisions
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER category_decisions_append_only ON category_decisions;
    ALTER TABLE category_decisions
      DROP CONSTRAINT category_decisions_household_id_fkey,
      ADD CONSTRAINT category_decisions_household_id_fkey FOREIGN KEY (household_id) REFERENCES households (id) ON DELETE CASCADE;
    ALTER TABLE import_problems DROP COLUMN severity;
    ALTER TABLE assistance_entries DROP CONSTRAINT assistance_entries_reversal_reason, DROP COLUMN reversal_reason;
    ALTER TABLE households DROP CONSTRAINT households_gradual_exit_until, DROP COLUMN previous_annual_income, DROP COLUMN status_since;
  `.execute(db)
}
