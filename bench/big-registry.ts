// A big registry written by SQL straight into a fresh database, for the benchmarks that need
// one at scale (the dashboards, the workbench): ~persons/3.03 households in the generated
// regions (湖州市南浔区 and 济源示范区 towns and villages), their persons, two category
// decisions for every tenth household, wishes (with their claims), the bureau's monthly
// payments and charity help in the chains, vouchers, projects' confirmed proposals with their
// fulfilments, dream rooms. Triggers and foreign-key checks are off while loading: the rows are
// synthetic, only their number and spread matter. Households carry a 户编号 and an updated_at
// spread over the last three years, so "changed since" filters as on a real registry.
import { sql } from 'kysely'
import { createRandom } from '../matching/random.js'
import { buildRegions } from '../scripts/demo-data/regions.js'
import type { Db } from '../server/db/database.js'

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9

export async function loadBigRegistry (db: Db, persons: number, wishes: number, seed = 'bench-dashboards'): Promise<void> {
  const households = Math.round(persons / 3.03)
  const regions = buildRegions(createRandom(seed), households)
  for (let i = 0; i < regions.length; i += 1000) {
    await db.insertInto('regions').values(regions.slice(i, i + 1000).map(r => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode }))).execute()
  }
  const villages = regions.filter(r => r.level === 'village').map(r => r.code)
  await db.connection().execute(async c => {
    await sql`SET session_replication_role = replica`.execute(c)
    const go = async (what: string, statement: ReturnType<typeof sql>) => {
      const started = process.hrtime.bigint()
      const result = await statement.execute(c)
      console.log(`  ${what}: ${Number(result.numAffectedRows ?? 0).toLocaleString('en-US')} rows in ${seconds(started).toFixed(1)} s`)
    }
    await sql`CREATE TEMP TABLE bench_villages AS SELECT ordinality AS n, code FROM unnest(${villages}::text[]) WITH ORDINALITY AS code`.execute(c)
    const villageCount = villages.length
    await go('households', sql`
      INSERT INTO households (id, external_key, region_code, annual_income, property_compliant, status, status_since, category, created_at, updated_at, gradual_exit_until)
      SELECT i, 'B' || lpad(i::text, 8, '0'), v.code, (i % 40) * 1000, true,
        CASE WHEN i % 100 < 85 THEN 'active' WHEN i % 100 < 90 THEN 'gradual_exit' WHEN i % 100 < 97 THEN 'exited' ELSE 'monitored_other' END,
        current_date - (i % 900),
        (ARRAY['tekun','dibao','dibao','dibao','fanpin_monitor','dibao_edge','dibao_edge','rigid_expense','low_income_support','other','none'])[1 + i % 11],
        now() - make_interval(days => ((i * 7)::int) % 1100), now() - make_interval(days => ((i * 13)::int) % 1100), CASE WHEN i % 100 BETWEEN 85 AND 89 THEN current_date + 180 END
      FROM generate_series(1, ${households}::int) AS i JOIN bench_villages v ON v.n = 1 + (i::bigint * 7919) % ${villageCount}`)
    await go('persons', sql`
      INSERT INTO persons (id, household_id, relation, name_encrypted, masked_name, id_number_encrypted, id_blind_index, birth_date, sex, labor_capacity, has_income_source, has_able_supporter)
      SELECT i, 1 + (i - 1) % ${households}, CASE WHEN i <= ${households} THEN 'head' ELSE 'child' END, '\\x00'::bytea, '某*', '\\x00'::bytea, decode(md5(i::text), 'hex'),
        date '1950-01-01' + (i % 25000), CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END, 'weak', false, true
      FROM generate_series(1, ${persons}::int) AS i`)
    await go('decisions', sql`
      INSERT INTO category_decisions (household_id, decided_at, as_of, profile, profile_version, category, per_capita_monthly_income, trace)
      SELECT h.id, h.created_at, h.created_at::date, 'nanxun-2025', 'bench', CASE WHEN h.id % 10 = 0 THEN 'dibao_edge' ELSE coalesce(h.category, 'none') END, 500, '{}'::jsonb FROM households h
      UNION ALL SELECT h.id, h.created_at + interval '200 days', (h.created_at + interval '200 days')::date, 'nanxun-2025', 'bench', coalesce(h.category, 'none'), 500, '{}'::jsonb FROM households h WHERE h.id % 10 = 0`)
    await go('organisations and donors', sql`
      WITH o AS (INSERT INTO organisations (name, region_code) VALUES ('南浔区慈善总会', '330503'), ('济源示范区慈善总会', '419001') RETURNING id)
      INSERT INTO donors (id, kind, name, created_at) OVERRIDING SYSTEM VALUE SELECT i, CASE WHEN i % 10 = 0 THEN 'enterprise' ELSE 'individual' END, '爱心人士' || i, now() - make_interval(days => (i % 700)::int) FROM generate_series(1, 20000) AS i`)
    await go('projects', sql`
      INSERT INTO projects (id, organisation_id, kind, title, budget, unit_cost, status, committed, spent, funding_donor_id) OVERRIDING SYSTEM VALUE
      SELECT i, (SELECT min(id) FROM organisations) + (i % 2), (ARRAY['fund','dream_room','training_voucher','wish'])[1 + i % 4], '基准项目' || i, 500000, 1000, 'open', 300000, 200000, CASE WHEN i % 3 = 0 THEN i * 10 END
      FROM generate_series(1, 30) AS i`)
    await go('wishes', sql`
      INSERT INTO wishes (id, person_id, household_id, region_code, category, item, value, state, reason, public_view, created_at, published_at) OVERRIDING SYSTEM VALUE
      SELECT i, p.id, p.household_id, h.region_code, (ARRAY['school_supplies','clothing','daily_goods','rehab_aids','appliances','services','other'])[1 + i % 7], '心愿' || i, 50 + i % 950,
        s.state, CASE WHEN s.state = 'withdrawn' THEN '基准' END, CASE WHEN s.state IN ('published','claimed','closed') THEN '{}'::jsonb END,
        now() - make_interval(days => (i % 720)::int), CASE WHEN s.state IN ('published','claimed','closed') THEN now() - make_interval(days => (i % 720)::int) + interval '3 days' END
      FROM generate_series(1, ${wishes}::int) AS i
      JOIN persons p ON p.id = 1 + (i - 1) % ${persons}
      JOIN households h ON h.id = p.household_id
      CROSS JOIN LATERAL (SELECT CASE WHEN i % 10 < 3 THEN 'published' WHEN i % 10 = 3 THEN 'claimed' WHEN i % 10 < 8 THEN 'closed' WHEN i % 10 = 8 THEN 'submitted' ELSE 'withdrawn' END AS state) s`)
    await go('claims', sql`
      INSERT INTO claims (wish_id, donor_id, state, claimed_at, due_on, confirmed_on)
      SELECT w.id, 1 + w.id % 20000, CASE WHEN w.state = 'closed' THEN 'confirmed' ELSE 'active' END, w.published_at + interval '2 days',
        -- A claim still held is due in the next fortnight or, not yet lapsed by the worker's daily run, yesterday.
        CASE WHEN w.state = 'closed' THEN (w.published_at + interval '16 days')::date ELSE current_date + (w.id / 10 % 15)::int - 1 END,
        CASE WHEN w.state = 'closed' THEN (w.published_at + make_interval(days => (5 + w.id % 20)::int))::date END
      FROM wishes w WHERE w.state IN ('claimed', 'closed')`)
    await go('vouchers', sql`
      INSERT INTO vouchers (person_id, household_id, region_code, half_year, state, created_at)
      SELECT p.id, p.household_id, h.region_code, hy, CASE WHEN hy LIKE '%H1' AND p.id % 5 = 0 THEN 'lapsed' ELSE 'issued' END, now() - interval '30 days'
      FROM persons p JOIN households h ON h.id = p.household_id CROSS JOIN (VALUES ('2025H2'), ('2026H1'), ('2026H2')) AS y(hy) WHERE p.id % 20 = 0`)
    await go('proposals and fulfilments', sql`
      WITH pr AS (
        INSERT INTO proposals (project_id, household_id, person_id, region_code, rank, score, cost, explanation, status, source, statement, decided_at)
        SELECT 1 + h.id % 30, h.id, h.id, h.region_code, 1, 0.5, 1000, '{}'::jsonb, 'confirmed', 'application', '基准', now() - make_interval(days => (h.id % 400)::int)
        FROM households h WHERE h.id % 10 = 3 RETURNING id, decided_at)
      INSERT INTO fulfilments (proposal_id, state, due_on, received_on) SELECT id, CASE WHEN id % 3 = 0 THEN 'in_progress' ELSE 'received' END, (decided_at + interval '30 days')::date, CASE WHEN id % 3 <> 0 THEN (decided_at + interval '20 days')::date END FROM pr`)
    await go('dream rooms', sql`
      INSERT INTO dream_rooms (household_id, person_id, region_code, stage, room_condition, budget_estimate, created_at, project_id)
      SELECT h.id, h.id, h.region_code, (ARRAY['survey','design','build','completed'])[1 + h.id % 4], '破旧', 15000, now() - make_interval(days => (h.id % 300)::int), 2 FROM households h WHERE h.id % 100 = 7`)
    await go('chain: monthly payments', sql`
      INSERT INTO assistance_entries (household_id, source, kind, value, occurred_on, provider)
      SELECT h.id, 'government', CASE WHEN h.category = 'tekun' THEN '特困供养金' ELSE '低保金' END, 500 + h.id % 700, (date_trunc('month', current_date) - make_interval(months => m))::date, '区民政局'
      FROM households h CROSS JOIN generate_series(0, 11) AS m WHERE h.category IN ('tekun', 'dibao') AND h.status IN ('active', 'gradual_exit')`)
    await go('chain: charity help', sql`
      INSERT INTO assistance_entries (household_id, source, kind, value, occurred_on, provider, origin)
      SELECT w.household_id, 'charity', 'wish', w.value, c.confirmed_on, '爱心认领', 'claim:' || c.id FROM claims c JOIN wishes w ON w.id = c.wish_id WHERE c.state = 'confirmed'
      UNION ALL
      SELECT pr.household_id, 'charity', 'fund', pr.cost, f.received_on, '基准项目', 'proposal:' || pr.id FROM proposals pr JOIN fulfilments f ON f.proposal_id = pr.id WHERE f.received_on IS NOT NULL`)
    await sql`SET session_replication_role = origin`.execute(c)
    // The triggers that keep help_under_way were off: fill it as they would have (migration 0170).
    await go('help under way', sql`SELECT refresh_help_under_way(NULL)`)
    for (const table of ['households', 'persons', 'wishes', 'claims', 'assistance_entries', 'category_decisions', 'vouchers', 'proposals', 'dream_rooms', 'donors', 'projects']) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(c)
    }
    await sql`VACUUM ANALYZE`.execute(c)
  })
}

