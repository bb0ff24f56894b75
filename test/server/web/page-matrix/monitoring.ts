// The monitoring pages — the warnings worklist and a warning with its actions, department
// feed imports, and the settings — against every kind of person.
import { L, type PageRows, type PageWorld } from './world.js'
import { loadMonitoringContext } from '../../../../server/monitoring/context.js'
import { raiseWarnings } from '../../../../server/monitoring/warnings.js'
import { createFeedImport } from '../../../../server/monitoring/feeds/record.js'
import { resolveRules } from '../../../../matching/monitoring/index.js'
import { today } from '../../../../server/clock.js'

/** An open warning for the family of 南浔镇, and a feed import made by 南浔镇's officer. */
export async function setup ({ app, ids }: PageWorld): Promise<Record<string, number>> {
  const head = await app.db.selectFrom('persons').select('id').where('household_id', '=', ids.household as number).orderBy('id').executeTakeFirstOrThrow()
  const context = await loadMonitoringContext(app.db, today())
  const [warning] = await raiseWarnings(app.db, context, [{
    finding: { rule: 'income_drop_death', cause: 'income_drop_death', warningClass: 'new_hardship', summary: '劳动年龄段家庭成员死亡，家庭收入可能骤减', values: {}, version: resolveRules('nanxun-2025', [], today()).rules.income_drop_death },
    personId: head.id, householdId: ids.household as number, regionCode: '330503101001', profile: 'nanxun-2025', lowIncome: true, feedRecordId: null, evidence: {}
  }], { id: null, name: 'system' })
  const clerk = await app.db.selectFrom('users').select('id').where('username', '=', 'mz-nanxun').executeTakeFirstOrThrow()
  const feed = await createFeedImport(app.db, app.config.dataDir, { kind: 'death', fileName: 'death.csv', format: 'csv', scope: { regionPrefix: '330503101' }, createdBy: clerk.id, content: Buffer.from('身份证号,死亡日期\n') })
  return { warning: (warning as { id: number }).id, feed }
}

//                                                                 anon   adm    mzC    mzN    cs     dPer   dCom   inst   aud
export const rows: PageRows = {
  'GET /work/warnings':                                   { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/warnings' }) },
  'GET /work/warnings/:id':                               { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/warnings/${ids.warning}` }) },
  'GET /work/warnings/:id/evidence/:evidenceId · none':   { cells: [L,     404,   404,   404,   403,   403,   403,   403,   404], request: ids => ({ url: `/work/warnings/${ids.warning}/evidence/999999` }) },
  'POST /work/warnings/:id/actions · no note':            { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/warnings/${ids.warning}/actions`, fields: { action: 'visit' } }) },
  'POST /work/warnings/:id/extension · no reason':        { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/warnings/${ids.warning}/extension`, fields: { workingDays: '5' } }) },
  'POST /work/warnings/:id/referral · no item':           { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/warnings/${ids.warning}/referral`, fields: { kind: 'wish', category: 'daily_goods' } }) },
  'POST /work/warnings/:id/evidence · no file':           { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/warnings/${ids.warning}/evidence` }) },
  'GET /work/feeds':                                      { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/feeds' }) },
  'POST /work/feeds · no file':                           { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/work/feeds', fields: { kind: 'death' } }) },
  'GET /work/feeds/:id · 南浔镇\'s':                      { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/feeds/${ids.feed}` }) },
  'GET /work/feeds/templates/:kind':                      { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/feeds/templates/medical' }) },
  'GET /admin/monitoring/routes':                         { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/admin/monitoring/routes' }) },
  'POST /admin/monitoring/routes · incomplete':           { cells: [L,     400,   403,   403,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/admin/monitoring/routes', fields: { warningClass: 'complex' } }) },
  'POST /admin/monitoring/routes/reset · not edited':     { cells: [L,     404,   403,   403,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/admin/monitoring/routes/reset', fields: { warningClass: 'complex' } }) },
  'GET /admin/monitoring/rules':                          { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/admin/monitoring/rules' }) },
  'POST /admin/monitoring/rules · incomplete':            { cells: [L,     400,   403,   403,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/admin/monitoring/rules', fields: { profile: 'nanxun-2025', rule: 'disaster_loss' } }) },
  'GET /admin/monitoring/calendar':                       { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/admin/monitoring/calendar' }) },
  'POST /admin/monitoring/calendar/:year · a bad line':   { cells: [L,     400,   403,   403,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/admin/monitoring/calendar/2031', fields: { days: '2031-13-01 放假 春节', note: '测试' } }) },
  'POST /admin/monitoring/calendar/:year/seed · none':    { cells: [L,     404,   403,   403,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/admin/monitoring/calendar/2090/seed' }) }
}
