// The civil-affairs workbench (issue 17): a claim's evidence says whether it is the donor's
// proof or the household's signed receipt (签收单) photographed by staff; an import's problem
// keeps the value it found (identity columns masked), so that the problems can be fixed from
// the table or its XLSX after the upload is gone; an import knows how many rows a CSV holds,
// for its progress bar; and the indexes the household page and the /work counts read by.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE evidence ADD COLUMN kind text NOT NULL DEFAULT 'proof' CHECK (kind IN ('proof', 'signed_receipt'));
    ALTER TABLE evidence ADD CONSTRAINT evidence_receipt_of_claim CHECK (kind = 'proof' OR claim_id IS NOT NULL);
    ALTER TABLE import_problems ADD COLUMN value text;
    ALTER TABLE import_runs ADD COLUMN rows_expected integer CHECK (rows_expected >= 0);
    CREATE INDEX wishes_household ON wishes (household_id);
    CREATE INDEX proposals_household ON proposals (household_id);
    CREATE INDEX proposals_open_region ON proposals (region_code text_pattern_ops) WHERE status = 'open';
    CREATE INDEX vouchers_household ON vouchers (household_id);
    CREATE INDEX dream_rooms_household ON dream_rooms (household_id);
    CREATE INDEX claims_delivered ON claims (wish_id) WHERE state = 'delivered';
    CREATE INDEX import_runs_scope ON import_runs (scope_prefix text_pattern_ops, id DESC);
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX import_runs_scope, claims_delivered, dream_rooms_household, vouchers_household, proposals_open_region, proposals_household, wishes_household;
    ALTER TABLE import_runs DROP COLUMN rows_expected;
    ALTER TABLE import_problems DROP COLUMN value;
    ALTER TABLE evidence DROP CONSTRAINT evidence_receipt_of_claim, DROP COLUMN kind;
  `.execute(db)
}
