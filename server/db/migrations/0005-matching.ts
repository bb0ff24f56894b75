// Proposal runs for projects and the proposals they make, awaiting confirmation.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE proposal_runs (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id  bigint NOT NULL REFERENCES projects (id),
      status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
      as_of       date NOT NULL,
      summary     jsonb,
      created_by  bigint,
      created_at  timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );

    CREATE TABLE proposals (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      run_id          bigint NOT NULL REFERENCES proposal_runs (id),
      project_id      bigint NOT NULL REFERENCES projects (id),
      household_id    bigint NOT NULL REFERENCES households (id),
      person_id       bigint NOT NULL REFERENCES persons (id),
      region_code     text NOT NULL,
      rank            integer NOT NULL,
      score           double precision NOT NULL,
      cost            numeric(14, 2) NOT NULL,
      explanation     jsonb NOT NULL,
      status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'rejected', 'superseded')),
      reason          text,
      override_reason text,
      decided_by      bigint,
      decided_at      timestamptz,
      created_at      timestamptz NOT NULL DEFAULT now(),
      CHECK (status <> 'rejected' OR reason IS NOT NULL)
    );
    CREATE INDEX proposals_project ON proposals (project_id, status, rank);
    -- A person is proposed (or confirmed) at most once per project at a time.
    CREATE UNIQUE INDEX proposals_one_live ON proposals (project_id, person_id) WHERE status IN ('open', 'confirmed');
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE proposals, proposal_runs`.execute(db)
}
