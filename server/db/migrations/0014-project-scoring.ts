// A project may weigh the score factors its own way (a dream-room programme may care most about
// hardship, a training-voucher programme about urgency) and may be funded by a donor whose
// preferences then count as the donor-fit factor of its runs.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE projects
      ADD COLUMN score_weights jsonb,
      ADD COLUMN funding_donor_id integer REFERENCES donors (id);
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE projects DROP COLUMN score_weights, DROP COLUMN funding_donor_id`.execute(db)
}
