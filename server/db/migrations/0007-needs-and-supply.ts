// Needs and supply (issue 5): the wish life cycle and its claims, dream rooms with their
// stages, training-voucher entitlements and course seats, fund applications (proposals a
// household asked for), each project's budget account, donors' messages, per-region rules for
// who may have needs, and the outbox that keeps the public search index in step.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Who may have needs raised, per region (the nearest ancestor's row wins; none: the
    -- defaults of the region's policy profile, server/needs/rules.ts).
    CREATE TABLE region_need_rules (
      region_code           text PRIMARY KEY REFERENCES regions (code),
      wish_categories       text[] NOT NULL,
      wish_statuses         text[] NOT NULL,
      voucher_categories    text[] NOT NULL,
      voucher_school_stages text[] NOT NULL,
      updated_by            bigint REFERENCES users (id),
      updated_at            timestamptz NOT NULL DEFAULT now()
    );

    -- Wishes: the household and village are copied from the person so that region scoping
    -- is one index range; public_view is the de-identified document donors and the search
    -- index see, fixed at publication together with what was coarsened to make it k-anonymous.
    ALTER TABLE wishes
      ADD COLUMN household_id  bigint REFERENCES households (id),
      ADD COLUMN region_code   text REFERENCES regions (code),
      ADD COLUMN needed_by     date,
      ADD COLUMN show_category boolean NOT NULL DEFAULT false,
      ADD COLUMN raised_by     bigint REFERENCES users (id),
      ADD COLUMN visit_note    text,
      ADD COLUMN verified_by   bigint REFERENCES users (id),
      ADD COLUMN verified_at   timestamptz,
      ADD COLUMN published_at  timestamptz,
      ADD COLUMN reason        text,
      ADD COLUMN public_view   jsonb,
      ADD COLUMN coarsened     text[] NOT NULL DEFAULT '{}',
      ADD COLUMN updated_at    timestamptz NOT NULL DEFAULT now();
    UPDATE wishes w SET household_id = p.household_id, region_code = h.region_code
      FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id = w.person_id;
    ALTER TABLE wishes
      ALTER COLUMN household_id SET NOT NULL,
      ALTER COLUMN region_code SET NOT NULL,
      ADD CONSTRAINT wishes_category CHECK (category IN ('school_supplies', 'clothing', 'daily_goods', 'rehab_aids', 'appliances', 'services', 'other')),
      ADD CONSTRAINT wishes_state CHECK (state IN ('draft', 'submitted', 'verified', 'published', 'claimed', 'delivered', 'confirmed', 'closed', 'rejected', 'withdrawn')),
      ADD CONSTRAINT wishes_reason CHECK (state NOT IN ('rejected', 'withdrawn') OR reason IS NOT NULL),
      ADD CONSTRAINT wishes_public CHECK (state NOT IN ('published', 'claimed', 'delivered', 'confirmed', 'closed') OR public_view IS NOT NULL);
    CREATE INDEX wishes_region ON wishes (region_code text_pattern_ops, state);

    -- One donor holds a wish at a time: the partial unique index is the last word when two
    -- claims race (the wish's conditional state change is the first).
    CREATE TABLE claims (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      wish_id      bigint NOT NULL REFERENCES wishes (id),
      donor_id     bigint NOT NULL REFERENCES donors (id),
      state        text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'delivered', 'confirmed', 'expired', 'cancelled')),
      claimed_at   timestamptz NOT NULL DEFAULT now(),
      due_on       date NOT NULL,
      delivered_on date,
      confirmed_on date,
      ended_at     timestamptz,
      note         text
    );
    CREATE UNIQUE INDEX claims_one_holder ON claims (wish_id) WHERE state IN ('active', 'delivered', 'confirmed');
    CREATE INDEX claims_donor ON claims (donor_id, claimed_at DESC);
    CREATE INDEX claims_due ON claims (due_on) WHERE state = 'active';

    -- What donors are told: a lapsed claim, thanks with a de-identified impact note.
    CREATE TABLE donor_messages (
      id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      donor_id   bigint NOT NULL REFERENCES donors (id),
      kind       text NOT NULL CHECK (kind IN ('claim_expired', 'thanks')),
      claim_id   bigint REFERENCES claims (id),
      body       text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at    timestamptz,
      UNIQUE (claim_id, kind)
    );
    CREATE INDEX donor_messages_donor ON donor_messages (donor_id, id DESC);

    -- 梦想小屋: a child's room, surveyed, then designed, built and handed over; each stage
    -- has a due date and needs evidence before it is completed.
    CREATE TABLE dream_rooms (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      household_id    bigint NOT NULL REFERENCES households (id),
      person_id       bigint NOT NULL REFERENCES persons (id),
      region_code     text NOT NULL REFERENCES regions (code),
      project_id      bigint REFERENCES projects (id),
      stage           text NOT NULL DEFAULT 'survey' CHECK (stage IN ('survey', 'design', 'build', 'handover', 'completed', 'cancelled')),
      room_condition  text NOT NULL,
      area_m2         numeric(6, 1) CHECK (area_m2 > 0),
      budget_estimate numeric(14, 2) NOT NULL CHECK (budget_estimate > 0),
      reason          text,
      created_by      bigint REFERENCES users (id),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      CHECK (stage <> 'cancelled' OR reason IS NOT NULL)
    );
    CREATE INDEX dream_rooms_region ON dream_rooms (region_code text_pattern_ops);
    CREATE TABLE dream_room_stages (
      room_id      bigint NOT NULL REFERENCES dream_rooms (id),
      stage        text NOT NULL CHECK (stage IN ('survey', 'design', 'build', 'handover')),
      due_on       date NOT NULL,
      completed_on date,
      completed_by bigint REFERENCES users (id),
      note         text,
      PRIMARY KEY (room_id, stage)
    );

    -- Courses are held in a town; seats_taken counts vouchers placed in them and can never
    -- pass the seats offered.
    ALTER TABLE courses
      ADD COLUMN region_code text REFERENCES regions (code),
      ADD COLUMN seats_taken integer NOT NULL DEFAULT 0,
      ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      ADD CONSTRAINT courses_seats CHECK (seats_taken >= 0 AND seats_taken <= seats);
    UPDATE courses c SET region_code = i.region_code FROM institutions i WHERE i.id = c.institution_id;
    ALTER TABLE courses ALTER COLUMN region_code SET NOT NULL;

    -- 爱心培训券: one entitlement per child per half-year.
    CREATE TABLE vouchers (
      id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id         bigint NOT NULL REFERENCES persons (id),
      household_id      bigint NOT NULL REFERENCES households (id),
      region_code       text NOT NULL REFERENCES regions (code),
      half_year         text NOT NULL CHECK (half_year ~ '^[0-9]{4}H[12]$'),
      project_id        bigint REFERENCES projects (id),
      state             text NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'assigned', 'redeemed', 'lapsed')),
      course_id         bigint REFERENCES courses (id),
      assigned_via      text CHECK (assigned_via IN ('matcher', 'family')),
      assigned_at       timestamptz,
      sessions_total    integer CHECK (sessions_total > 0),
      sessions_attended integer CHECK (sessions_attended >= 0 AND sessions_attended <= sessions_total),
      redeemed_at       timestamptz,
      redeemed_by       bigint REFERENCES users (id),
      created_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (person_id, half_year),
      CHECK ((state IN ('assigned', 'redeemed')) = (course_id IS NOT NULL))
    );
    CREATE INDEX vouchers_region ON vouchers (half_year, region_code text_pattern_ops, state);
    CREATE INDEX vouchers_course ON vouchers (course_id);

    -- Fund applications are proposals a household asked for: they wait for confirmation with
    -- the matcher's proposals, but a rerun never supersedes them.
    ALTER TABLE proposals
      ALTER COLUMN run_id DROP NOT NULL,
      ADD COLUMN source    text NOT NULL DEFAULT 'run' CHECK (source IN ('run', 'application')),
      ADD COLUMN statement text,
      ADD COLUMN submitted_by bigint REFERENCES users (id),
      ADD CONSTRAINT proposals_source CHECK ((source = 'run') = (run_id IS NOT NULL));

    -- Projects: who posted them and a running account of every commitment and spending.
    ALTER TABLE projects
      ADD COLUMN per_item_limit numeric(14, 2) CHECK (per_item_limit > 0),
      ADD COLUMN created_by     bigint REFERENCES users (id),
      ADD COLUMN created_at     timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now();
    CREATE TABLE project_ledger (
      id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id bigint NOT NULL REFERENCES projects (id),
      movement   text NOT NULL CHECK (movement IN ('commit', 'release', 'spend')),
      amount     numeric(14, 2) NOT NULL CHECK (amount > 0),
      reference  text NOT NULL,
      at         timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX project_ledger_project ON project_ledger (project_id, id);

    -- Evidence and photos belong to exactly one thing: a proposal's fulfilment, a wish (its
    -- photos, seen by staff only), a claim's delivery, or a dream room's stage.
    ALTER TABLE evidence
      ALTER COLUMN proposal_id DROP NOT NULL,
      ADD COLUMN wish_id       bigint REFERENCES wishes (id),
      ADD COLUMN claim_id      bigint REFERENCES claims (id),
      ADD COLUMN dream_room_id bigint REFERENCES dream_rooms (id),
      ADD COLUMN stage         text,
      ADD CONSTRAINT evidence_one_subject CHECK (num_nonnulls(proposal_id, wish_id, claim_id, dream_room_id) = 1),
      ADD CONSTRAINT evidence_stage CHECK ((dream_room_id IS NULL) = (stage IS NULL));
    CREATE INDEX evidence_proposal ON evidence (proposal_id) WHERE proposal_id IS NOT NULL;
    CREATE INDEX evidence_wish ON evidence (wish_id) WHERE wish_id IS NOT NULL;
    CREATE INDEX evidence_claim ON evidence (claim_id) WHERE claim_id IS NOT NULL;
    CREATE INDEX evidence_dream_room ON evidence (dream_room_id) WHERE dream_room_id IS NOT NULL;

    -- Transactional outbox for the search index: written in the same transaction as the
    -- change; the sync job reads the current row and upserts or deletes the document.
    CREATE TABLE search_outbox (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      index_name  text NOT NULL CHECK (index_name IN ('wishes', 'projects')),
      document_id bigint NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now()
    );
    -- Synonym groups staff configure per index (书包 = 双肩包); absent: the built-in ones.
    CREATE TABLE search_settings (
      index_name text PRIMARY KEY CHECK (index_name IN ('wishes', 'projects')),
      synonyms   jsonb NOT NULL,
      updated_by bigint REFERENCES users (id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE search_settings, search_outbox, project_ledger, vouchers, dream_room_stages, donor_messages, claims, region_need_rules;
    ALTER TABLE evidence DROP CONSTRAINT evidence_stage, DROP CONSTRAINT evidence_one_subject,
      DROP COLUMN stage, DROP COLUMN dream_room_id, DROP COLUMN claim_id, DROP COLUMN wish_id;
    DELETE FROM evidence WHERE proposal_id IS NULL;
    ALTER TABLE evidence ALTER COLUMN proposal_id SET NOT NULL;
    DROP TABLE dream_rooms;
    ALTER TABLE projects DROP COLUMN per_item_limit, DROP COLUMN created_by, DROP COLUMN created_at, DROP COLUMN updated_at;
    DELETE FROM proposals WHERE source = 'application';
    ALTER TABLE proposals DROP CONSTRAINT proposals_source, DROP COLUMN source, DROP COLUMN statement, DROP COLUMN submitted_by;
    ALTER TABLE proposals ALTER COLUMN run_id SET NOT NULL;
    ALTER TABLE courses DROP CONSTRAINT courses_seats, DROP COLUMN region_code, DROP COLUMN seats_taken, DROP COLUMN status;
    ALTER TABLE wishes DROP CONSTRAINT wishes_category, DROP CONSTRAINT wishes_state, DROP CONSTRAINT wishes_reason, DROP CONSTRAINT wishes_public,
      DROP COLUMN household_id, DROP COLUMN region_code, DROP COLUMN needed_by, DROP COLUMN show_category, DROP COLUMN raised_by,
      DROP COLUMN visit_note, DROP COLUMN verified_by, DROP COLUMN verified_at, DROP COLUMN published_at, DROP COLUMN reason,
      DROP COLUMN public_view, DROP COLUMN coarsened, DROP COLUMN updated_at;
  `.execute(db)
}
