// The civil-affairs workbench (/work/…) against every kind of person. The world's family lives
// in 南浔镇 (mz-nanxun's town); `otherTown` is a family of 双林镇, which only the county clerk
// and administrators reach — a town officer is answered 404 for it, as by the API (its
// existence is not revealed). Form posts send incomplete or out-of-turn bodies so that the
// rows change nothing the next row relies on.
import { signIn } from '../../../helpers/accounts.js'
import { OTHER_VILLAGE, PNG, registerHousehold } from '../../../helpers/needs.js'
import { L, type Ids, type PageRows, type PageWorld } from './world.js'

export async function setup ({ app, ids }: PageWorld): Promise<Ids> {
  const county = await signIn(app, 'mz-county')
  const other = await registerHousehold(county, [{ name: '沈长生', birthDate: '1950-03-03', sex: 'male' }], { regionCode: OTHER_VILLAGE })
  const entry = await app.db.insertInto('assistance_entries').values({ household_id: other.id, source: 'government', kind: 'temporary_assistance', value: 500, occurred_on: '2026-01-05', provider: '双林镇' }).returning('id').executeTakeFirstOrThrow()
  // A fund application of the world's family: an open proposal of the world's project.
  const town = await signIn(app, 'mz-nanxun')
  const household = (await app.db.selectFrom('households').select('id').where('region_code', '=', '330503101001').orderBy('id').executeTakeFirstOrThrow()).id
  const project = (await app.db.selectFrom('projects').select('id').where('title', '=', '助学金').executeTakeFirstOrThrow()).id
  const applied = await town.call({ method: 'POST', url: `/api/v1/projects/${project}/applications`, payload: { householdId: household, statement: '孩子上学需要资助。', amount: 800 } })
  if (applied.statusCode !== 201) throw new Error(`no application: ${applied.body}`)
  // A roster 南浔镇 uploaded (no worker runs here: it stays queued).
  const imported = await town.call({ method: 'POST', url: '/api/v1/imports?fileName=roster.csv', headers: { 'content-type': 'text/csv' }, payload: '户编号,姓名\nH1,张三\n' })
  if (imported.statusCode !== 202) throw new Error(`no import: ${imported.body}`)
  // A dream room for the family's child, surveyed, with a photo of the room as it is.
  const child = (await app.db.selectFrom('persons').select('id').where('household_id', '=', ids.household as number).where('birth_date', '>', '2010-01-01').executeTakeFirstOrThrow()).id
  const room = await town.call({ method: 'POST', url: '/api/v1/dream-rooms', payload: { personId: child, roomCondition: '和父母挤一间，没有书桌。', budgetEstimate: 15000 } })
  if (room.statusCode !== 201) throw new Error(`no room: ${room.body}`)
  const photo = await town.call({ method: 'POST', url: `/api/v1/dream-rooms/${room.json().id}/evidence?stage=survey&fileName=room.png`, headers: { 'content-type': 'image/png' }, payload: PNG })
  if (photo.statusCode !== 201) throw new Error(`no room photo: ${photo.body}`)
  return { otherTown: other.id, otherEntry: entry.id, proposal: applied.json().id, importRun: imported.json().id, room: room.json().id, roomPhoto: photo.json().id }
}

//                                                  anon   adm    mzC    mzN    cs     dPer   dCom   inst   aud
export const rows: PageRows = {
  'GET /work':                                     { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work' }) },
  'GET /work/households':                          { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/households?town=330503101&page=1' }) },
  'GET /work/households/:id':                      { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/households/${ids.household}` }) },
  'GET /work/households/:id · another town':       { cells: [L,     200,   200,   404,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/households/${ids.otherTown}` }) },
  'POST /work/households/:id/pii':                 { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ method: 'POST', url: `/work/households/${ids.household}/pii` }) },
  'POST /work/households/:id/pii · another town':  { cells: [L,     200,   200,   404,   403,   403,   403,   403,   200], request: ids => ({ method: 'POST', url: `/work/households/${ids.otherTown}/pii` }) },
  'GET /work/households/:id/decisions':            { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/households/${ids.household}/decisions` }) },
  'GET /work/households/:id/print':                { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/households/${ids.household}/print` }) },
  'POST /work/households/:id/assistance · incomplete': { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/households/${ids.household}/assistance`, fields: { kind: 'temporary_assistance' } }) },
  'POST /work/assistance/:id/reversal · no reason': { cells: [L,     400,   400,   404,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/assistance/${ids.otherEntry}/reversal` }) },
  'GET /work/households/new':                      { cells: [L,     200,   200,   200,   403,   403,   403,   403,   403], request: () => ({ url: '/work/households/new' }) },
  'POST /work/households · incomplete':            { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/work/households', fields: { annualIncome: '-1' } }) },
  'GET /work/households/:id/edit':                 { cells: [L,     200,   200,   200,   403,   403,   403,   403,   403], request: ids => ({ url: `/work/households/${ids.household}/edit` }) },
  'POST /work/households/:id/edit · bad income':   { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/households/${ids.household}/edit`, fields: { annualIncome: '-1' } }) },
  'POST /work/households/:id/preview · bad income': { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/households/${ids.household}/preview`, fields: { annualIncome: '-1' } }) },
  'GET /work/households/:id/reclassify':           { cells: [L,     200,   200,   200,   403,   403,   403,   403,   403], request: ids => ({ url: `/work/households/${ids.household}/reclassify` }) },
  'POST /work/households/:id/reclassify · bad date': { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/households/${ids.household}/reclassify`, fields: { asOf: 'soon' } }) },
  'GET /work/wishes':                              { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/wishes?state=published' }) },
  'GET /work/wishes/visit-list':                   { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/wishes/visit-list' }) },
  'GET /work/wishes/new':                          { cells: [L,     200,   200,   200,   403,   403,   403,   403,   403], request: ids => ({ url: `/work/wishes/new?householdId=${ids.household}` }) },
  'POST /work/wishes · incomplete':                { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/work/wishes', fields: { item: '书包' } }) },
  'GET /work/wishes/:id':                          { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/wishes/${ids.wish}` }) },
  'POST /work/wishes/:id/submit · published':      { cells: [L,     409,   409,   409,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/wishes/${ids.wish}/submit` }) },
  'POST /work/wishes/:id/verify · no note':        { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/wishes/${ids.wish}/verify` }) },
  'POST /work/wishes/:id/reject · no reason':      { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/wishes/${ids.wish}/reject` }) },
  'POST /work/wishes/:id/withdraw · no reason':    { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/wishes/${ids.wish}/withdraw` }) },
  'POST /work/wishes/:id/publish · published':     { cells: [L,     409,   409,   409,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/wishes/${ids.wish}/publish` }) },
  'GET /work/wishes/:id/edit':                     { cells: [L,     200,   200,   200,   403,   403,   403,   403,   403], request: ids => ({ url: `/work/wishes/${ids.wish}/edit` }) },
  'POST /work/wishes/:id/edit · bad value':        { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/wishes/${ids.wish}/edit`, fields: { value: '-5' } }) },
  'POST /work/wishes/:id/photos · no file':        { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/wishes/${ids.wish}/photos` }) },
  'GET /work/wishes/:id/photos/:evidenceId · not its photo': { cells: [L,     404,   404,   404,   403,   403,   403,   403,   404], request: ids => ({ url: `/work/wishes/${ids.wish}/photos/${ids.evidence}` }) },
  'GET /work/claims':                              { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/claims?group=active' }) },
  'GET /work/claims/:id':                          { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/claims/${ids.claim}` }) },
  'POST /work/claims/:id/confirm · not delivered': { cells: [L,     409,   409,   409,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/claims/${ids.claim}/confirm` }) },
  'POST /work/claims/:id/signed-receipt · no file': { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/claims/${ids.claim}/signed-receipt` }) },
  'GET /work/claims/:id/evidence/:evidenceId':     { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/claims/${ids.claim}/evidence/${ids.evidence}` }) },
  'GET /work/proposals':                           { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/proposals' }) },
  'GET /work/proposals/:id':                       { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/proposals/${ids.project}` }) },
  'POST /work/proposals/:id/decide · nothing ticked': { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/proposals/${ids.project}/decide`, fields: { decision: 'confirm' } }) },
  'POST /work/proposals/:id/received · not confirmed': { cells: [L,     404,   404,   404,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/proposals/${ids.proposal}/received` }) },
  'GET /work/imports':                             { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/imports' }) },
  'GET /work/imports/template.:format':            { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/imports/template.xlsx' }) },
  'POST /work/imports · no file':                  { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/work/imports', fields: { mode: 'all_or_nothing' } }) },
  'GET /work/imports/:id':                         { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/imports/${ids.importRun}` }) },
  'GET /work/imports/:id/problems.xlsx':           { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/imports/${ids.importRun}/problems.xlsx` }) },
  'GET /work/dream-rooms':                         { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/dream-rooms?stage=survey&overdue=true&page=1' }) },
  'GET /work/dream-rooms/:id':                     { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/dream-rooms/${ids.room}` }) },
  'POST /work/dream-rooms/:id/evidence · no file': { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/dream-rooms/${ids.room}/evidence`, fields: { stage: 'survey' } }) },
  'POST /work/dream-rooms/:id/stages/:stage/complete · out of turn': { cells: [L,     409,   409,   409,   403,   403,   403,   403,   403], request: ids => ({ method: 'POST', url: `/work/dream-rooms/${ids.room}/stages/build/complete` }) },
  'GET /work/dream-rooms/:id/evidence/:evidenceId': { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/dream-rooms/${ids.room}/evidence/${ids.roomPhoto}` }) },
  'GET /work/claims/:id/receipt':                  { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: ids => ({ url: `/work/claims/${ids.claim}/receipt` }) },
  // Training vouchers: charity staff and institutions read vouchers by organisation or course, not a region's list.
  'GET /work/vouchers':                            { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/vouchers?show=without-class&page=1' }) },
  'GET /work/vouchers/issue':                      { cells: [L,     200,   200,   200,   403,   403,   403,   403,   403], request: () => ({ url: '/work/vouchers/issue' }) },
  'GET /work/vouchers/assign':                     { cells: [L,     200,   200,   200,   403,   403,   403,   403,   403], request: () => ({ url: '/work/vouchers/assign' }) },
  'POST /work/vouchers/issue · no region':         { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/work/vouchers/issue' }) },
  'POST /work/vouchers/assign · bad region':       { cells: [L,     400,   400,   400,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/work/vouchers/assign', fields: { regionCode: '3305' } }) },
  // The world has no vouchers in 双林镇: the county's assignment places nobody and changes nothing.
  'POST /work/vouchers/assign · another town':     { cells: [L, '→/work/vouchers?show=placed', '→/work/vouchers?show=placed', 403,   403,   403,   403,   403,   403], request: () => ({ method: 'POST', url: '/work/vouchers/assign', fields: { regionCode: '330503102' } }) }
}
