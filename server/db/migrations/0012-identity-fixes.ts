// Identity fixes after the audit of issue 4: demo accounts carry a mark, so that they can be
// switched off whenever the server starts outside demo mode (and back on in demo mode), and
// sign-in attempts get an index by time, so that pruning old ones is cheap.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users ADD COLUMN demo boolean NOT NULL DEFAULT false;
    -- The accounts seeded before this mark existed, recognised by username and display name
    -- together (as they were seeded then), so a real account that merely shares a username
    -- is not caught.
    UPDATE users SET demo = true
    WHERE (username, display_name) IN (
      ('admin', '系统管理员'), ('mz-county', '区民政局 王科员'), ('mz-nanxun', '南浔镇 社会事务办 李干事'),
      ('cszh', '区慈善总会 陈干事'), ('donor-person', '爱心人士 赵女士'), ('donor-company', '南浔爱心企业有限公司'),
      ('training', '南浔区阳光培训学校'), ('auditor', '区审计 周审计员'));

    CREATE INDEX login_attempts_at ON login_attempts (at);
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX login_attempts_at;
    ALTER TABLE users DROP COLUMN demo;
  `.execute(db)
}
