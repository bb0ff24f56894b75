// Every role against every API route, inside and outside its region, organisation,
// institution or donor identity, in one world (matrix-world.ts): each cell of MATRIX is the
// exact status that principal gets, or, for a list, the exact records it gets (200). The rules
// are server/auth/policy.ts's; where the API hides a record outside the reader's reach the
// cell is 404. Every registered route must declare an access rule and have a row here, so a
// route added without either fails this file. Reads run first (lists see only the world),
// then the changes, each on a record of its own where it uses one up.
import t, { type Test } from 'tap'
import { parse } from 'csv-parse/sync'
import type { LightMyRequestResponse } from 'fastify'
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts.js'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { PASSWORD, PNG } from '../../helpers/needs.js'
import { NOW } from '../vouchers/fixtures.js'
import { buildWorld, TOWNS, WHO, type Fresh, type Request, type Town, type Who, type World } from './matrix-world.js'

/** A status, or 200 with exactly these records (names of the world's records). */
type Cell = number | readonly string[]

const perTown = (...patterns: string[]) => {
  const of = (town: Town) => patterns.map(pattern => pattern.replace('#', town))
  return { T1: of('T1'), T2: of('T2'), all: [...of('T1'), ...of('T2')] }
}
const HOUSEHOLDS = perTown('household.#', 'household.#.second', 'household.#.third', 'household.#.pupil')
const CREATED = perTown('household.#', 'household.#.second', 'household.#.third') // household.create in the trail (pupils are inserted)
const WISHES = perTown('wish.#.published', 'wish.#.submitted', 'wish.#.claimed')
const PUBLISHED = perTown('wish.#.published').all
const CLAIMS = perTown('claim.#')
const ROOMS = perTown('room.#')
const VOUCHERS = perTown('voucher.#')
const FULFILMENTS = { all: ['fulfilment.A.T1', 'fulfilment.A.T2', 'fulfilment.B.T1'], T1: ['fulfilment.A.T1', 'fulfilment.B.T1'], T2: ['fulfilment.A.T2'], A: ['fulfilment.A.T1', 'fulfilment.A.T2'], B: ['fulfilment.B.T1'] }
const PROPOSALS_A = perTown('proposal.A.#')
const PROPOSALS_B = ['proposal.B.T2']
const OPEN = ['project.fundA', 'project.fundB', 'project.fundNanxun', 'project.trainingA', 'project.trainingB', 'project.roomsA']
const PROJECTS = { open: OPEN, A: [...OPEN, 'project.draftA'], B: [...OPEN, 'project.draftB'], all: [...OPEN, 'project.draftA', 'project.draftB'] }
const USERS = {
  all: WHO.filter(who => who !== 'anonymous').map(who => `user.${who}`).concat('user.mz-target'),
  county: ['user.mz-county', 'user.mz-nanxun', 'user.mz-shuanglin', 'user.auditor', 'user.audit-nanxun', 'user.mz-target'],
  T1: ['user.mz-nanxun', 'user.audit-nanxun', 'user.mz-target']
}
const COURSES = ['course.A', 'course.B']
const DONORS = ['donor.donor-person', 'donor.donor-company']
const TOWN_CODES = ['town.T1', 'town.T2']
const WARNINGS = perTown('warning.#')
const FEEDS = perTown('feed.#')

// Columns, in WHO order (matrix-world.ts):
//   anon  anonymous                adm   admin
//   mzC   mz-county   (南浔区)     mzN   mz-nanxun (南浔镇)      mzS   mz-shuanglin (双林镇)      civil affairs
//   csA   cszh (南浔区慈善总会)     csB   cs-shuanglin (双林镇慈善分会)                              charity staff
//   dPer  donor-person              dCom  donor-company                                             donors
//   inA   training (阳光培训学校)   inB   training-b (启航培训中心)                                  institutions
//   audC  auditor     (南浔区)     audN  audit-nanxun (南浔镇)                                      auditors
// A row's case names the record: its town (南浔镇 T1, 双林镇 T2), charity (A, B) or owner.
const MATRIX: Record<string, readonly Cell[]> = {
  //                                                     anon  adm    mzC    mzN    mzS    csA    csB    dPer   dCom   inA    inB    audC   audN
  // auth: public, or any signed-in user
  'POST /api/v1/auth/sign-in':                          [200,  200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  'POST /api/v1/auth/register':                         [201,  201,   201,   201,   201,   201,   201,   201,   201,   201,   201,   201,   201],
  'GET /api/v1/auth/session':                           [401,  200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  'POST /api/v1/auth/sign-out':                         [401,  204,   204,   204,   204,   204,   204,   204,   204,   204,   204,   204,   204],
  'POST /api/v1/auth/sign-out-everywhere':              [401,  200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  'POST /api/v1/auth/password · weak new password':     [401,  400,   400,   400,   400,   400,   400,   400,   400,   400,   400,   400,   400],
  'POST /api/v1/auth/verify-contact · wrong code':      [401,  400,   400,   400,   400,   400,   400,   400,   400,   400,   400,   400,   400],
  'POST /api/v1/auth/verify-contact/resend · no contact': [401, 400,   400,   400,   400,   400,   400,   400,   400,   400,   400,   400,   400],
  'PATCH /api/v1/auth/account · nothing changed':        [401,  200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  'POST /api/v1/auth/password-reset/request':           [202,  202,   202,   202,   202,   202,   202,   202,   202,   202,   202,   202,   202],
  'POST /api/v1/auth/password-reset · wrong code':      [400,  400,   400,   400,   400,   400,   400,   400,   400,   400,   400,   400,   400],
  // notifications: one's own
  'GET /api/v1/notifications':                          [401,  200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  'POST /api/v1/notifications/:id/read · not mine':     [401,  404,   404,   404,   404,   404,   404,   404,   404,   404,   404,   404,   404],
  'POST /api/v1/notifications/read-all':                [401,  200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  // accounts: administrators; auditors read those of their region
  'GET /api/v1/users':                                  [401, USERS.all,  403,   403,   403,   403,   403,   403,   403,   403,   403, USERS.county, USERS.T1],
  'GET /api/v1/users/:id · 南浔镇':                     [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/users/:id · 双林镇':                     [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   404],
  'POST /api/v1/users':                                 [401,  201,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'PATCH /api/v1/users/:id':                            [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/users/:id/sign-out-everywhere':         [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/users/:id/tokens':                       [401, ['token'], 403,  403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/users/:id/tokens':                      [401,  201,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'DELETE /api/v1/users/:id/tokens/:tokenId':           [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/users/:id/password-reset · no such user': [401, 404,  403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  // the audit trail (household.create records, by the household's region)
  'GET /api/v1/audit · household.create':              [401, CREATED.all, 403, 403,  403,   403,   403,   403,   403,   403,   403, CREATED.all, CREATED.T1],
  'GET /api/v1/audit/export.csv · household.create':    [401, CREATED.all, 403, 403,  403,   403,   403,   403,   403,   403,   403, CREATED.all, CREATED.T1],
  'GET /api/v1/audit · dream_room.survey':             [401, ROOMS.all, 403,   403,   403,   403,   403,   403,   403,   403,   403, ROOMS.all,  ROOMS.T1],
  'GET /api/v1/audit/verify':                           [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/audit/export.xlsx · household.create':   [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  // the system page: administrators
  'GET /api/v1/system/status':                          [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/system/failed-jobs':                     [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/system/failed-jobs/:queue/:jobId/retry · no such job': [401, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  // reference data and policy
  'GET /api/v1/regions':                                [401, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES, TOWN_CODES],
  'GET /api/v1/policy/profiles':                        [401,  200,   200,   200,   200,   200,   200,   403,   403,   403,   403,   200,   200],
  'POST /api/v1/policy/profiles/:profile/parameters':   [401,  201,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/policy/profiles/:profile/history':       [401,  200,   200,   200,   200,   200,   200,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/policy/profiles/:profile/diff':          [401,  200,   200,   200,   200,   200,   200,   403,   403,   403,   403,   200,   200],
  'POST /api/v1/eligibility/evaluate · demo mode':      [200,  200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  // the registry
  'GET /api/v1/households':                             [401, HOUSEHOLDS.all, HOUSEHOLDS.all,  HOUSEHOLDS.T1,  HOUSEHOLDS.T2,  403,   403,   403,   403,   403,   403, HOUSEHOLDS.all,  HOUSEHOLDS.T1],
  'GET /api/v1/households · filtered to 双林镇':        [401,  HOUSEHOLDS.T2,  HOUSEHOLDS.T2,  [],    HOUSEHOLDS.T2,  403,   403,   403,   403,   403,   403,  HOUSEHOLDS.T2,  []],
  'POST /api/v1/households · 南浔镇':                   [401,  201,   201,   201,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/households · 双林镇':                   [401,  201,   201,   403,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/households/:id · 南浔镇':                [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/households/:id · 双林镇':                [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   200,   404],
  'GET /api/v1/households/:id/pii · 南浔镇':            [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/households/:id/pii · 双林镇':            [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   200,   404],
  'GET /api/v1/households/:id/decisions · 南浔镇':      [401, ['decision.T1'], ['decision.T1'], ['decision.T1'], 404, 403, 403, 403, 403, 403, 403, ['decision.T1'], ['decision.T1']],
  'GET /api/v1/households/:id/decisions · 双林镇':      [401, ['decision.T2'], ['decision.T2'], 404, ['decision.T2'], 403, 403, 403, 403, 403, 403, ['decision.T2'], 404],
  'GET /api/v1/households/:id/assistance · 南浔镇':     [401, ['entry.T1'], ['entry.T1'], ['entry.T1'], 404, 403, 403, 403, 403, 403, 403, ['entry.T1'], ['entry.T1']],
  'GET /api/v1/households/:id/assistance · 双林镇':     [401, ['entry.T2'], ['entry.T2'], 404, ['entry.T2'], 403, 403, 403, 403, 403, 403, ['entry.T2'], 404],
  'PATCH /api/v1/households/:id · 南浔镇':              [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'PATCH /api/v1/households/:id · 双林镇':              [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/households/:id/reclassify · 南浔镇':    [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/households/:id/reclassify · 双林镇':    [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/households/:id/assistance · 南浔镇':    [401,  201,   201,   201,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/households/:id/assistance · 双林镇':    [401,  201,   201,   404,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/assistance/:id/reversal · 南浔镇':      [401,  201,   201,   201,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/assistance/:id/reversal · 双林镇':      [401,  201,   201,   404,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/imports':                               [401,  202,   202,   202,   202,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/imports/:id · 南浔镇':                   [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/imports/:id · 双林镇':                   [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   200,   404],
  // wishes and the rules of who may have needs
  'GET /api/v1/wishes':                                 [401, WISHES.all, WISHES.all,  WISHES.T1,  WISHES.T2,  403,   403,   403,   403,   403,   403, WISHES.all,  WISHES.T1],
  'GET /api/v1/wishes · filtered to 双林镇':            [401,  WISHES.T2,  WISHES.T2,  [],    WISHES.T2,  403,   403,   403,   403,   403,   403,  WISHES.T2,  []],
  'POST /api/v1/wishes · 南浔镇':                       [401,  201,   201,   201,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes · 双林镇':                       [401,  201,   201,   404,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/wishes/:id · 南浔镇':                    [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/wishes/:id · 双林镇':                    [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   200,   404],
  'PATCH /api/v1/wishes/:id · 南浔镇':                  [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'PATCH /api/v1/wishes/:id · 双林镇':                  [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/submit · 南浔镇':            [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/submit · 双林镇':            [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/verify · 南浔镇':            [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/verify · 双林镇':            [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/reject · 南浔镇':            [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/reject · 双林镇':            [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/publish · 南浔镇':           [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/publish · 双林镇':           [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/withdraw · 南浔镇':          [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/withdraw · 双林镇':          [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/photos · 南浔镇':            [401,  201,   201,   201,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/wishes/:id/photos · 双林镇':            [401,  201,   201,   404,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/wishes/:id/photos · 南浔镇':             [401, ['photo.T1'], ['photo.T1'], ['photo.T1'], 404, 403, 403, 403, 403, 403, 403, ['photo.T1'], ['photo.T1']],
  'GET /api/v1/wishes/:id/photos · 双林镇':             [401, ['photo.T2'], ['photo.T2'], 404, ['photo.T2'], 403, 403, 403, 403, 403, 403, ['photo.T2'], 404],
  'GET /api/v1/need-rules/:regionCode · 南浔镇':        [401,  200,   200,   200,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/need-rules/:regionCode · 双林镇':        [401,  200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   200,   403],
  'PUT /api/v1/need-rules/:regionCode · 南浔镇':        [401,  200,   200,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'PUT /api/v1/need-rules/:regionCode · 双林镇':        [401,  200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  // claims: T1's held by donor-person, T2's by donor-company
  'POST /api/v1/wishes/:id/claim · 南浔镇':             [401,  403,   403,   403,   403,   403,   403,   201,   201,   403,   403,   403,   403],
  'GET /api/v1/claims':                                 [401, CLAIMS.all, CLAIMS.all,  CLAIMS.T1,  CLAIMS.T2,  403,   403,  CLAIMS.T1,  CLAIMS.T2,   403,   403, CLAIMS.all,  CLAIMS.T1],
  'GET /api/v1/claims/:id · 南浔镇':                    [401,  200,   200,   200,   404,   403,   403,   200,   404,   403,   403,   200,   200],
  'GET /api/v1/claims/:id · 双林镇':                    [401,  200,   200,   404,   200,   403,   403,   404,   200,   403,   403,   200,   404],
  'GET /api/v1/claims/:id/evidence · 南浔镇':           [401, ['evidence.claim.T1'], ['evidence.claim.T1'], ['evidence.claim.T1'], 404, 403, 403, ['evidence.claim.T1'], 404, 403, 403, ['evidence.claim.T1'], ['evidence.claim.T1']],
  'GET /api/v1/claims/:id/evidence · 双林镇':           [401, ['evidence.claim.T2'], ['evidence.claim.T2'], 404, ['evidence.claim.T2'], 403, 403, 404, ['evidence.claim.T2'], 403, 403, ['evidence.claim.T2'], 404],
  'POST /api/v1/claims/:id/evidence · 南浔镇':          [401,  403,   403,   403,   403,   403,   403,   201,   404,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/evidence · 双林镇':          [401,  403,   403,   403,   403,   403,   403,   404,   201,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/delivered · 南浔镇':         [401,  403,   403,   403,   403,   403,   403,   200,   404,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/delivered · 双林镇':         [401,  403,   403,   403,   403,   403,   403,   404,   200,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/cancel · 南浔镇':            [401,  403,   403,   403,   403,   403,   403,   200,   404,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/cancel · 双林镇':            [401,  403,   403,   403,   403,   403,   403,   404,   200,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/confirm · 南浔镇':           [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/confirm · 双林镇':           [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/signed-receipt · 南浔镇':    [401,  201,   201,   201,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/claims/:id/signed-receipt · 双林镇':    [401,  201,   201,   404,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  // donors: their own profile; the donor list for administrators and charity staff
  'GET /api/v1/donors/me':                              [401,  403,   403,   403,   403,   403,   403,   200,   200,   403,   403,   403,   403],
  'PATCH /api/v1/donors/me':                            [401,  403,   403,   403,   403,   403,   403,   200,   200,   403,   403,   403,   403],
  'GET /api/v1/donors/me/messages':                     [401,  403,   403,   403,   403,   403,   403, ['message.donor-person'], ['message.donor-company'], 403, 403, 403, 403],
  'POST /api/v1/donors/me/messages/:id/read · donor-person': [401, 403, 403,  403,   403,   403,   403,   204,   404,   403,   403,   403,   403],
  'GET /api/v1/donors/me/recommendations':              [401,  403,   403,   403,   403,   403,   403, PUBLISHED, PUBLISHED, 403, 403,  403,   403],
  'GET /api/v1/donors':                                 [401, DONORS, 403,   403,   403, DONORS, DONORS, 403,   403,   403,   403,   403,   403],
  'GET /api/v1/donors/:id · donor-person':              [401,  200,   403,   403,   403,   200,   200,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/donors/:id/notes/check · donor-person':  [401,  200,   403,   403,   403,   200,   200,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/donors/:id/notes · donor-person':        [401,  201,   403,   403,   403,   201,   201,   403,   403,   403,   403,   403,   403],
  // charity projects (drafts: their organisation only)
  'POST /api/v1/projects · A':                          [401,  201,   403,   403,   403,   201,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/projects · B':                          [401,  201,   403,   403,   403,   403,   201,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/projects':                               [401, PROJECTS.all, PROJECTS.open, PROJECTS.open, PROJECTS.open, PROJECTS.A, PROJECTS.B, PROJECTS.open, PROJECTS.open, 403, 403, PROJECTS.open, PROJECTS.open],
  'GET /api/v1/projects/:id · open, A':                 [401,  200,   200,   200,   200,   200,   200,   200,   200,   403,   403,   200,   200],
  'GET /api/v1/projects/:id · draft, A':                [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/projects/:id · draft, B':                [401,  200,   403,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/projects/:id/ledger · A':                [401,  200,   200,   200,   200,   200,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/projects/:id/ledger · B':                [401,  200,   200,   200,   200,   403,   200,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/projects/:id/ledger · A, 南浔镇 only':   [401,  200,   200,   200,   403,   200,   403,   403,   403,   403,   403,   200,   200],
  'PATCH /api/v1/projects/:id · A':                     [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'PATCH /api/v1/projects/:id · B':                     [401,  200,   403,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/projects/:id/open · A':                 [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/projects/:id/close · A':                [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/projects/:id/pause · A':                [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/projects/:id/resume · A':               [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/projects/reach-preview · own organisation': [401, 400, 403,  403,   403,   200,   200,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/projects/:id/report.xlsx · A':           [401,  200,   200,   200,   200,   200,   403,   403,   403,   403,   403,   200,   200],
  // matching: runs, applications, proposals (batch rows: the item's outcome)
  'POST /api/v1/projects/:id/proposal-runs · A':        [401,  202,   403,   403,   403,   202,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposal-runs · A':                     [401,  202,   403,   403,   403,   202,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/proposal-runs/:id · A':                  [401,  200,   200,   200,   200,   200,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/proposal-runs/:id · B':                  [401,  200,   200,   200,   200,   403,   200,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/proposal-runs/:id · A, 南浔镇 only':     [401,  200,   200,   200,   403,   200,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/projects/:id/proposal-runs · A':         [401,  200,   200,   200,   200,   200,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/proposal-runs/:id/outcome · A':          [401,  200,   200,   200,   200,   200,   403,   403,   403,   403,   403,   200,   200],
  'POST /api/v1/projects/:id/applications · 南浔镇':    [401,  201,   201,   201,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/projects/:id/applications · 双林镇':    [401,  201,   201,   404,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/projects/:id/proposals · A':             [401, PROPOSALS_A.all, PROPOSALS_A.all, PROPOSALS_A.T1, PROPOSALS_A.T2, PROPOSALS_A.all, 403,  403,   403,   403,   403, PROPOSALS_A.all, PROPOSALS_A.T1],
  'GET /api/v1/projects/:id/proposals · B':             [401,  PROPOSALS_B,    PROPOSALS_B,    [],    PROPOSALS_B,    403,    PROPOSALS_B,   403,   403,   403,   403,   PROPOSALS_B,    []],
  'POST /api/v1/proposals/:id/confirm · 南浔镇':        [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/confirm · 双林镇':        [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/reject · 南浔镇':         [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/reject · 双林镇':         [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/confirm · 南浔镇':            [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/confirm · 双林镇':            [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/reject · 南浔镇':             [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/reject · 双林镇':             [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  // fulfilment of confirmed help
  'GET /api/v1/fulfilments':                            [401, FULFILMENTS.all, FULFILMENTS.all,  FULFILMENTS.T1,  FULFILMENTS.T2,  FULFILMENTS.A,   FULFILMENTS.B,   403,   403,   403,   403, FULFILMENTS.all,  FULFILMENTS.T1],
  'GET /api/v1/proposals/:id/fulfilment · A, 南浔镇':   [401,  200,   200,   200,   403,   200,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/proposals/:id/fulfilment · A, 双林镇':   [401,  200,   200,   403,   200,   200,   403,   403,   403,   403,   403,   200,   403],
  'GET /api/v1/proposals/:id/fulfilment · B, 南浔镇':   [401,  200,   200,   200,   403,   403,   200,   403,   403,   403,   403,   200,   200],
  'POST /api/v1/proposals/:id/evidence · A, 南浔镇':    [401,  201,   403,   403,   403,   201,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/evidence · B, 南浔镇':    [401,  201,   403,   403,   403,   403,   201,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/delivered · A, 南浔镇':   [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/received · A, 南浔镇':    [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/received · A, 双林镇':    [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/cancel · A, 南浔镇':      [401,  200,   200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/proposals/:id/cancel · A, 双林镇':      [401,  200,   200,   403,   200,   200,   403,   403,   403,   403,   403,   403,   403],
  // training vouchers: courses (A: 阳光培训学校, B: 启航培训中心), T1's voucher paid by A, T2's by B, both seated in course A
  'GET /api/v1/courses':                                [401,  COURSES,    COURSES,    COURSES,    COURSES,    COURSES,    COURSES,    403,   403, ['course.A'], ['course.B'], COURSES, COURSES],
  'POST /api/v1/courses · A':                           [401,  201,   403,   403,   403,   403,   403,   403,   403,   201,   403,   403,   403],
  'GET /api/v1/courses/:id · A':                        [401,  200,   200,   200,   200,   200,   200,   403,   403,   200,   403,   200,   200],
  'GET /api/v1/courses/:id · B':                        [401,  200,   200,   200,   200,   200,   200,   403,   403,   403,   200,   200,   200],
  'PATCH /api/v1/courses/:id · A':                      [401,  200,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403,   403],
  'GET /api/v1/courses/:id/vouchers · A':               [401, VOUCHERS.all, VOUCHERS.all,  VOUCHERS.T1,  VOUCHERS.T2,  VOUCHERS.T1,  VOUCHERS.T2,  403,   403, VOUCHERS.all,  403, VOUCHERS.all,  VOUCHERS.T1],
  'POST /api/v1/vouchers/issue · 南浔镇':               [401,  200,   200,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/vouchers/issue · 双林镇':               [401,  200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/vouchers':                               [401, VOUCHERS.all, VOUCHERS.all,  VOUCHERS.T1,  VOUCHERS.T2,  VOUCHERS.T1,  VOUCHERS.T2,  403,   403,   403,   403, VOUCHERS.all,  VOUCHERS.T1],
  'GET /api/v1/vouchers · filtered to 双林镇':          [401,  VOUCHERS.T2,  VOUCHERS.T2,  [],    VOUCHERS.T2,  [],    VOUCHERS.T2,  403,   403,   403,   403,  VOUCHERS.T2,  []],
  'GET /api/v1/vouchers/:id · 南浔镇':                  [401,  200,   200,   200,   404,   200,   404,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/vouchers/:id · 双林镇':                  [401,  200,   200,   404,   200,   404,   200,   403,   403,   403,   403,   200,   404],
  'POST /api/v1/vouchers/:id/choice · 南浔镇':          [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/vouchers/:id/choice · 双林镇':          [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/vouchers/:id/release · 南浔镇':         [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/vouchers/:id/release · 双林镇':         [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/vouchers/assignments · 南浔镇':         [401,  200,   200,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/vouchers/assignments · 双林镇':         [401,  200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/vouchers/:id/redemption · seat in A':   [401,  403,   403,   403,   403,   403,   403,   403,   403,   200,   404,   403,   403],
  // dream rooms: T1's funded by A, T2's awaiting a funder
  'POST /api/v1/dream-rooms · 南浔镇':                  [401,  201,   201,   201,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/dream-rooms · 双林镇':                  [401,  201,   201,   403,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/dream-rooms':                            [401, ROOMS.all, ROOMS.all,  ROOMS.T1,  ROOMS.T2,  403,   403,   403,   403,   403,   403, ROOMS.all,  ROOMS.T1],
  'GET /api/v1/dream-rooms · filtered to 双林镇':       [401,  ROOMS.T2,  ROOMS.T2,  [],    ROOMS.T2,  403,   403,   403,   403,   403,   403,  ROOMS.T2,  []],
  'GET /api/v1/dream-rooms/offers':                     [401,  ROOMS.T2,  403,   403,   403,  ROOMS.T2,  ROOMS.T2,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/dream-rooms/funded':                     [401,  ROOMS.T1,  403,   403,   403,  ROOMS.T1,   [],    403,   403,   403,   403,   403,   403],
  'GET /api/v1/dream-rooms/:id · 南浔镇':               [401,  200,   200,   200,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/dream-rooms/:id · 双林镇':               [401,  200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   200,   403],
  'GET /api/v1/dream-rooms/:id/summary · 南浔镇':       [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/dream-rooms/:id/summary · 双林镇':       [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/dream-rooms/:id/funding · 南浔镇':      [401,  200,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/dream-rooms/:id/evidence · 南浔镇':     [401,  201,   201,   201,   403,   201,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/dream-rooms/:id/evidence · 双林镇':     [401,  201,   201,   403,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/dream-rooms/:id/stages/:stage/complete · 南浔镇': [401, 200, 200, 200, 403,  200,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/dream-rooms/:id/stages/:stage/complete · 双林镇': [401, 200, 200, 403, 200,  200,   403,   403,   403,   403,   403,   403,   403],
  'PATCH /api/v1/dream-rooms/:id/due-dates · 南浔镇':   [401,  200,   200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  'PATCH /api/v1/dream-rooms/:id/due-dates · 双林镇':   [401,  200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/dream-rooms/:id/cancel · 南浔镇':       [401,  200,   200,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/dream-rooms/:id/cancel · 双林镇':       [401,  200,   200,   403,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  // public search (de-identified) and the search indexes
  'GET /api/v1/public/wishes':                          [PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED],
  'GET /api/v1/public/wishes/:id · published':          [200,  200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  'GET /api/v1/public/wishes/:id · claimed':            [404,  404,   404,   404,   404,   404,   404,   404,   404,   404,   404,   404,   404],
  'GET /api/v1/public/projects':                        [OPEN, OPEN,  OPEN,  OPEN,  OPEN,  OPEN,  OPEN,  OPEN,  OPEN,  OPEN,  OPEN,  OPEN,  OPEN],
  'POST /api/v1/search/reindex':                        [401,  202,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/search/status':                          [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/search/consistency/:index':              [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  'POST /api/v1/search/consistency/:index/repair':      [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/search/synonyms/:index':                 [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  'PUT /api/v1/search/synonyms/:index':                 [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  // dynamic monitoring: feeds and warnings by region; the settings administrators keep, read by staff
  'POST /api/v1/feeds':                                 [401,  202,   202,   202,   202,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/feeds':                                  [401, FEEDS.all, FEEDS.all, FEEDS.T1, FEEDS.T2, 403, 403,   403,   403,   403,   403, FEEDS.all, FEEDS.T1],
  'GET /api/v1/feeds/:id · 南浔镇':                     [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/feeds/:id · 双林镇':                     [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   200,   404],
  'GET /api/v1/warnings':                               [401, WARNINGS.all, WARNINGS.all, WARNINGS.T1, WARNINGS.T2, 403, 403, 403, 403, 403, 403, WARNINGS.all, WARNINGS.T1],
  'GET /api/v1/warnings/:id · 南浔镇':                  [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   200,   200],
  'GET /api/v1/warnings/:id · 双林镇':                  [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   200,   404],
  'POST /api/v1/warnings/:id/actions · 南浔镇':         [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/warnings/:id/actions · 双林镇':         [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/warnings/:id/extension · 南浔镇':       [401,  200,   200,   200,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/warnings/:id/extension · 双林镇':       [401,  200,   200,   404,   200,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/warnings/:id/referral · 南浔镇':        [401,  201,   201,   201,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/warnings/:id/referral · 双林镇':        [401,  201,   201,   404,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/warnings/:id/evidence · 南浔镇':        [401,  201,   201,   201,   404,   403,   403,   403,   403,   403,   403,   403,   403],
  'POST /api/v1/warnings/:id/evidence · 双林镇':        [401,  201,   201,   404,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/monitoring/rules':                       [401,  200,   200,   200,   200,   403,   403,   403,   403,   403,   403,   200,   200],
  'POST /api/v1/monitoring/rules':                      [401,  201,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/monitoring/routes':                      [401,  200,   200,   200,   200,   403,   403,   403,   403,   403,   403,   200,   200],
  'PUT /api/v1/monitoring/routes':                      [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  'GET /api/v1/monitoring/calendar':                    [401,  200,   200,   200,   200,   403,   403,   403,   403,   403,   403,   200,   200],
  'PUT /api/v1/monitoring/calendar/:year':              [401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403]
}

interface Context {
  w: World
  who: Who
  town: Town
  /** The record the probe acts on: a new one when the call is expected to use it up, else one kept for this row. */
  use: (make: (fresh: Fresh) => Promise<number>) => Promise<number>
}

interface Probe {
  request: (c: Context) => Request | Promise<Request>
  /** A list's records, as the ids the world names. */
  ids?: (response: LightMyRequestResponse) => Array<number | string>
  /** Batch routes answer 200 with an outcome per item: the (single) item's outcome, as a status. */
  outcome?: (response: LightMyRequestResponse) => number
  /** Made with a session of its own, as it ends the session it is made with. */
  spare?: true
}

const itemIds = (response: LightMyRequestResponse) => response.json().items.map((item: { id: number }) => item.id)
const arrayIds = (response: LightMyRequestResponse) => response.json().map((item: { id: number }) => item.id)
const png = { headers: { 'content-type': 'image/png' }, payload: PNG }
const STATUS_OF_CODE: Record<string, number> = { forbidden: 403, not_found: 404 }
/** The batch's status when its item was decided; its refusal's (0 for a refusal no cell expects) otherwise. */
const batchOutcome = (decided: number) => (response: LightMyRequestResponse) => {
  if (response.statusCode !== decided) return response.statusCode
  const body = response.json()
  const refusal = body.results?.[0]?.error ?? body.refused?.[0]?.error
  return refusal ? STATUS_OF_CODE[refusal.code] ?? 0 : decided
}
let parameterDays = 0

/** The request of a row that exists once per town: `town` is the row's. */
const forTowns = (route: string, probe: Probe): Record<string, Probe> =>
  Object.fromEntries(Object.entries(TOWNS).map(([town, { name }]) => [`${route} · ${name}`, {
    ...probe, request: (c: Context) => probe.request({ ...c, town: town as Town })
  }]))

const PROBES: Record<string, Probe> = {
  'POST /api/v1/auth/sign-in': {
    spare: true,
    request: ({ w, who }) => {
      const as = who === 'anonymous' ? 'donor-person' : who
      return { url: '/api/v1/auth/sign-in', payload: { username: as, password: w.password(as) } }
    }
  },
  'POST /api/v1/auth/register': {
    request: ({ who }) => {
      const n = WHO.indexOf(who) + 10
      return { url: '/api/v1/auth/register', remoteAddress: `10.9.0.${n}`, payload: { username: `registered-${n}`, password: PASSWORD, kind: 'individual', name: '新爱心人士', contact: `139000000${n}` } }
    }
  },
  'GET /api/v1/auth/session': { request: () => ({ url: '/api/v1/auth/session' }) },
  'POST /api/v1/auth/sign-out': { spare: true, request: () => ({ url: '/api/v1/auth/sign-out' }) },
  'POST /api/v1/auth/sign-out-everywhere': { spare: true, request: () => ({ url: '/api/v1/auth/sign-out-everywhere' }) },
  'POST /api/v1/auth/password · weak new password': { request: ({ w, who }) => ({ url: '/api/v1/auth/password', payload: { currentPassword: w.password(who), newPassword: 'short' } }) },
  'POST /api/v1/auth/verify-contact · wrong code': { request: () => ({ url: '/api/v1/auth/verify-contact', payload: { code: '000000' } }) },
  'POST /api/v1/auth/verify-contact/resend · no contact': { request: () => ({ url: '/api/v1/auth/verify-contact/resend' }) },
  'PATCH /api/v1/auth/account · nothing changed': { request: () => ({ url: '/api/v1/auth/account', payload: {} }) },
  'GET /api/v1/notifications': { request: () => ({ url: '/api/v1/notifications' }) },
  'POST /api/v1/notifications/:id/read · not mine': { request: () => ({ url: '/api/v1/notifications/999999/read' }) },
  'POST /api/v1/notifications/read-all': { request: () => ({ url: '/api/v1/notifications/read-all' }) },
  'POST /api/v1/auth/password-reset/request': { request: ({ who }) => ({ url: '/api/v1/auth/password-reset/request', remoteAddress: `10.8.0.${WHO.indexOf(who) + 10}`, payload: { login: who === 'anonymous' ? 'nobody-here' : who } }) },
  'POST /api/v1/auth/password-reset · wrong code': { request: ({ who }) => ({ url: '/api/v1/auth/password-reset', payload: { login: who === 'anonymous' ? 'nobody-here' : who, code: '000000', newPassword: 'a-long-new-password-1' } }) },

  'GET /api/v1/users': { request: () => ({ url: '/api/v1/users?limit=500' }), ids: response => response.json().users.map((u: { id: number }) => u.id) },
  'GET /api/v1/users/:id · 南浔镇': { request: ({ w }) => ({ url: `/api/v1/users/${w.id('user.mz-nanxun')}` }) },
  'GET /api/v1/users/:id · 双林镇': { request: ({ w }) => ({ url: `/api/v1/users/${w.id('user.mz-shuanglin')}` }) },
  'POST /api/v1/users': {
    request: ({ who }) => ({ url: '/api/v1/users', payload: { username: `new-${WHO.indexOf(who)}`, displayName: '新账号', password: PASSWORD, roles: ['civil_affairs'], regionCode: TOWNS.T1.code } })
  },
  'PATCH /api/v1/users/:id': { request: ({ w }) => ({ url: `/api/v1/users/${w.id('user.mz-target')}`, payload: { displayName: '南浔镇 孙干事' } }) },
  'POST /api/v1/users/:id/sign-out-everywhere': { request: ({ w }) => ({ url: `/api/v1/users/${w.id('user.mz-target')}/sign-out-everywhere` }) },
  'GET /api/v1/users/:id/tokens': { request: ({ w }) => ({ url: `/api/v1/users/${w.id('user.mz-target')}/tokens` }), ids: response => response.json().tokens.map((token: { id: number }) => token.id) },
  'POST /api/v1/users/:id/tokens': {
    request: ({ w }) => ({ url: `/api/v1/users/${w.id('user.mz-target')}/tokens`, payload: { name: '数据对接', scopes: ['household.read'], expiresAt: new Date(Date.now() + 86400_000).toISOString() } })
  },
  'DELETE /api/v1/users/:id/tokens/:tokenId': { request: async ({ w, use }) => ({ url: `/api/v1/users/${w.id('user.mz-target')}/tokens/${await use(fresh => fresh.token())}` }) },
  'POST /api/v1/users/:id/password-reset · no such user': { request: () => ({ url: '/api/v1/users/999999/password-reset' }) },

  'GET /api/v1/audit · household.create': {
    request: () => ({ url: '/api/v1/audit?action=household.create&limit=500' }),
    ids: response => response.json().records.map((record: { recordId: string }) => record.recordId)
  },
  'GET /api/v1/audit · dream_room.survey': {
    request: () => ({ url: '/api/v1/audit?action=dream_room.survey&limit=500' }),
    ids: response => response.json().records.map((record: { recordId: string }) => record.recordId)
  },
  'GET /api/v1/audit/export.csv · household.create': {
    request: () => ({ url: '/api/v1/audit/export.csv?action=household.create' }),
    ids: response => (parse(response.body, { columns: true, bom: true }) as Array<{ recordId: string }>).map(row => row.recordId)
  },
  'GET /api/v1/audit/verify': { request: () => ({ url: '/api/v1/audit/verify' }) },
  'GET /api/v1/audit/export.xlsx · household.create': { request: () => ({ url: '/api/v1/audit/export.xlsx?action=household.create' }) },
  'GET /api/v1/system/status': { request: () => ({ url: '/api/v1/system/status' }) },
  'GET /api/v1/system/failed-jobs': { request: () => ({ url: '/api/v1/system/failed-jobs' }) },
  'POST /api/v1/system/failed-jobs/:queue/:jobId/retry · no such job': { request: () => ({ url: '/api/v1/system/failed-jobs/imports/999999/retry' }) },

  'GET /api/v1/regions': { request: () => ({ url: '/api/v1/regions?parent=330503' }), ids: response => response.json().map((region: { code: string }) => region.code) },
  'GET /api/v1/policy/profiles': { request: () => ({ url: '/api/v1/policy/profiles' }) },
  'GET /api/v1/policy/profiles/:profile/history': { request: () => ({ url: '/api/v1/policy/profiles/nanxun-2025/history' }) },
  'GET /api/v1/policy/profiles/:profile/diff': { request: () => ({ url: '/api/v1/policy/profiles/nanxun-2025/diff?from=2025-01-01&to=2030-01-01' }) },
  'POST /api/v1/policy/profiles/:profile/parameters': {
    // A day of its own for every call: one version per key and day.
    request: () => ({ url: '/api/v1/policy/profiles/nanxun-2025/parameters', payload: { key: 'dibaoMonthly', value: 1300, effectiveFrom: `2030-01-${String(++parameterDays).padStart(2, '0')}`, note: '测试版本' } })
  },
  'POST /api/v1/eligibility/evaluate · demo mode': {
    request: () => ({ url: '/api/v1/eligibility/evaluate', payload: { profile: 'nanxun-2025', household: { annualIncome: 12000, propertyCompliant: true, members: [{ birthDate: '1950-01-01', laborCapacity: 'none' }] } } })
  },

  'GET /api/v1/households': { request: () => ({ url: '/api/v1/households?limit=200' }), ids: itemIds },
  'GET /api/v1/households · filtered to 双林镇': { request: () => ({ url: `/api/v1/households?limit=200&regionCode=${TOWNS.T2.code}` }), ids: itemIds },
  ...forTowns('POST /api/v1/households', { request: ({ w, town }) => ({ url: '/api/v1/households', payload: w.newHousehold(town) }) }),
  ...forTowns('GET /api/v1/households/:id', { request: ({ w, town }) => ({ url: `/api/v1/households/${w.id(`household.${town}`)}` }) }),
  ...forTowns('GET /api/v1/households/:id/pii', { request: ({ w, town }) => ({ url: `/api/v1/households/${w.id(`household.${town}`)}/pii` }) }),
  ...forTowns('GET /api/v1/households/:id/decisions', { request: ({ w, town }) => ({ url: `/api/v1/households/${w.id(`household.${town}`)}/decisions` }), ids: arrayIds }),
  ...forTowns('GET /api/v1/households/:id/assistance', { request: ({ w, town }) => ({ url: `/api/v1/households/${w.id(`household.${town}`)}/assistance` }), ids: arrayIds }),
  ...forTowns('PATCH /api/v1/households/:id', { request: ({ w, town }) => ({ url: `/api/v1/households/${w.id(`household.${town}`)}`, payload: { phone: '13905721234' } }) }),
  ...forTowns('POST /api/v1/households/:id/reclassify', { request: ({ w, town }) => ({ url: `/api/v1/households/${w.id(`household.${town}`)}/reclassify`, payload: {} }) }),
  ...forTowns('POST /api/v1/households/:id/assistance', {
    request: ({ w, town }) => ({ url: `/api/v1/households/${w.id(`household.${town}`)}/assistance`, payload: { kind: 'temporary_assistance', value: 300, occurredOn: '2025-10-01', provider: '镇民政办' } })
  }),
  ...forTowns('POST /api/v1/assistance/:id/reversal', { request: async ({ town, use }) => ({ url: `/api/v1/assistance/${await use(fresh => fresh.entry(town))}/reversal`, payload: { reason: '重复登记' } }) }),
  'POST /api/v1/imports': { request: () => ({ url: '/api/v1/imports', headers: { 'content-type': 'text/csv' }, payload: '户编号,村社区代码,姓名,身份证号,与户主关系,劳动能力\n' }) },
  ...forTowns('GET /api/v1/imports/:id', { request: ({ w, town }) => ({ url: `/api/v1/imports/${w.id(`import.${town}`)}` }) }),

  'GET /api/v1/wishes': { request: () => ({ url: '/api/v1/wishes?limit=200' }), ids: itemIds },
  'GET /api/v1/wishes · filtered to 双林镇': { request: () => ({ url: `/api/v1/wishes?limit=200&regionCode=${TOWNS.T2.code}` }), ids: itemIds },
  ...forTowns('POST /api/v1/wishes', {
    request: async ({ town, use }) => ({
      url: '/api/v1/wishes',
      payload: { personId: await use(async fresh => (await fresh.household(town)).child), category: 'clothing', item: '冬衣', value: 200, story: '冬天没有厚衣服。' }
    })
  }),
  ...forTowns('GET /api/v1/wishes/:id', { request: ({ w, town }) => ({ url: `/api/v1/wishes/${w.id(`wish.${town}.published`)}` }) }),
  ...forTowns('PATCH /api/v1/wishes/:id', { request: ({ w, town }) => ({ url: `/api/v1/wishes/${w.id(`wish.${town}.submitted`)}`, payload: { item: '新书包' } }) }),
  ...forTowns('POST /api/v1/wishes/:id/submit', { request: async ({ town, use }) => ({ url: `/api/v1/wishes/${await use(fresh => fresh.wish(town, 'draft'))}/submit` }) }),
  ...forTowns('POST /api/v1/wishes/:id/verify', { request: async ({ town, use }) => ({ url: `/api/v1/wishes/${await use(fresh => fresh.wish(town, 'submitted'))}/verify`, payload: { visitNote: '已入户核实，情况属实' } }) }),
  ...forTowns('POST /api/v1/wishes/:id/reject', { request: async ({ town, use }) => ({ url: `/api/v1/wishes/${await use(fresh => fresh.wish(town, 'submitted'))}/reject`, payload: { reason: '不符合条件' } }) }),
  ...forTowns('POST /api/v1/wishes/:id/publish', { request: async ({ town, use }) => ({ url: `/api/v1/wishes/${await use(fresh => fresh.wish(town, 'verified'))}/publish` }) }),
  ...forTowns('POST /api/v1/wishes/:id/withdraw', { request: async ({ town, use }) => ({ url: `/api/v1/wishes/${await use(fresh => fresh.wish(town, 'draft'))}/withdraw`, payload: { reason: '家庭已自行解决' } }) }),
  ...forTowns('POST /api/v1/wishes/:id/photos', { request: ({ w, town }) => ({ url: `/api/v1/wishes/${w.id(`wish.${town}.published`)}/photos?fileName=photo.png`, ...png }) }),
  ...forTowns('GET /api/v1/wishes/:id/photos', { request: ({ w, town }) => ({ url: `/api/v1/wishes/${w.id(`wish.${town}.published`)}/photos` }), ids: arrayIds }),
  ...forTowns('GET /api/v1/need-rules/:regionCode', { request: ({ town }) => ({ url: `/api/v1/need-rules/${TOWNS[town].code}` }) }),
  ...forTowns('PUT /api/v1/need-rules/:regionCode', {
    request: ({ town }) => ({
      url: `/api/v1/need-rules/${TOWNS[town].code}`,
      payload: { wishCategories: ['tekun', 'dibao', 'dibao_edge'], wishStatuses: ['active', 'gradual_exit'], voucherCategories: ['low_income_support'], voucherSchoolStages: ['kindergarten', 'primary', 'junior'] }
    })
  }),

  'POST /api/v1/wishes/:id/claim · 南浔镇': { request: async ({ use }) => ({ url: `/api/v1/wishes/${await use(fresh => fresh.wish('T1', 'published'))}/claim` }) },
  'GET /api/v1/claims': { request: () => ({ url: '/api/v1/claims?limit=200' }), ids: arrayIds },
  ...forTowns('GET /api/v1/claims/:id', { request: ({ w, town }) => ({ url: `/api/v1/claims/${w.id(`claim.${town}`)}` }) }),
  ...forTowns('GET /api/v1/claims/:id/evidence', { request: ({ w, town }) => ({ url: `/api/v1/claims/${w.id(`claim.${town}`)}/evidence` }), ids: arrayIds }),
  ...forTowns('POST /api/v1/claims/:id/evidence', { request: ({ w, town }) => ({ url: `/api/v1/claims/${w.id(`claim.${town}`)}/evidence?fileName=proof.png`, ...png }) }),
  ...forTowns('POST /api/v1/claims/:id/delivered', { request: async ({ town, use }) => ({ url: `/api/v1/claims/${await use(fresh => fresh.claim(town, 'active'))}/delivered`, payload: {} }) }),
  ...forTowns('POST /api/v1/claims/:id/cancel', { request: async ({ town, use }) => ({ url: `/api/v1/claims/${await use(fresh => fresh.claim(town, 'active'))}/cancel`, payload: { reason: '临时有事' } }) }),
  ...forTowns('POST /api/v1/claims/:id/confirm', { request: async ({ town, use }) => ({ url: `/api/v1/claims/${await use(fresh => fresh.claim(town, 'delivered'))}/confirm`, payload: {} }) }),
  ...forTowns('POST /api/v1/claims/:id/signed-receipt', { request: async ({ town, use }) => ({ url: `/api/v1/claims/${await use(fresh => fresh.claim(town, 'delivered'))}/signed-receipt?fileName=receipt.png`, ...png }) }),

  'GET /api/v1/donors/me': { request: () => ({ url: '/api/v1/donors/me' }) },
  'PATCH /api/v1/donors/me': { request: () => ({ url: '/api/v1/donors/me', payload: { preferences: { regionCodes: [TOWNS.T1.code], kinds: [], wishCategories: [], minValue: 0, maxValue: 1000, hardships: [] } } }) },
  'GET /api/v1/donors/me/messages': { request: () => ({ url: '/api/v1/donors/me/messages' }), ids: arrayIds },
  'POST /api/v1/donors/me/messages/:id/read · donor-person': { request: ({ w }) => ({ url: `/api/v1/donors/me/messages/${w.id('message.donor-person')}/read` }) },
  'GET /api/v1/donors/me/recommendations': { request: () => ({ url: '/api/v1/donors/me/recommendations' }), ids: response => response.json().map((r: { wish: { id: number } }) => r.wish.id) },
  'GET /api/v1/donors': { request: () => ({ url: '/api/v1/donors?limit=200' }), ids: arrayIds },
  'GET /api/v1/donors/:id · donor-person': { request: ({ w }) => ({ url: `/api/v1/donors/${w.id('donor.donor-person')}` }) },
  'POST /api/v1/donors/:id/notes/check · donor-person': { request: ({ w }) => ({ url: `/api/v1/donors/${w.id('donor.donor-person')}/notes/check`, payload: { kind: 'thanks', body: '感谢您对孩子们的关心。' } }) },
  'POST /api/v1/donors/:id/notes · donor-person': { request: ({ w }) => ({ url: `/api/v1/donors/${w.id('donor.donor-person')}/notes`, payload: { kind: 'thanks', body: '感谢您对孩子们的关心。' } }) },

  ...Object.fromEntries((['A', 'B'] as const).map(org => [`POST /api/v1/projects · ${org}`, {
    request: ({ w }: Context) => ({ url: '/api/v1/projects', payload: { kind: 'fund', title: '助学基金', budget: 50000, unitCost: 1000, organisationId: w.id(`organisation.${org}`) } })
  }])),
  'GET /api/v1/projects': { request: () => ({ url: '/api/v1/projects?limit=200' }), ids: arrayIds },
  'GET /api/v1/projects/:id · open, A': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundA')}` }) },
  'GET /api/v1/projects/:id · draft, A': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.draftA')}` }) },
  'GET /api/v1/projects/:id · draft, B': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.draftB')}` }) },
  'GET /api/v1/projects/:id/ledger · A': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundA')}/ledger` }) },
  'GET /api/v1/projects/:id/ledger · B': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundB')}/ledger` }) },
  'GET /api/v1/projects/:id/ledger · A, 南浔镇 only': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundNanxun')}/ledger` }) },
  'PATCH /api/v1/projects/:id · A': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundA')}`, payload: { description: '资助困难家庭' } }) },
  'PATCH /api/v1/projects/:id · B': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundB')}`, payload: { description: '资助困难家庭' } }) },
  'POST /api/v1/projects/:id/open · A': { request: async ({ use }) => ({ url: `/api/v1/projects/${await use(fresh => fresh.project('A', 'draft'))}/open` }) },
  'POST /api/v1/projects/:id/close · A': { request: async ({ use }) => ({ url: `/api/v1/projects/${await use(fresh => fresh.project('A', 'open'))}/close` }) },
  'POST /api/v1/projects/:id/pause · A': { request: async ({ use }) => ({ url: `/api/v1/projects/${await use(fresh => fresh.project('A', 'open'))}/pause` }) },
  'POST /api/v1/projects/:id/resume · A': {
    request: async ({ w, use }) => {
      const id = await use(fresh => fresh.project('A', 'open'))
      await w.call('admin', { method: 'POST', url: `/api/v1/projects/${id}/pause` })
      return { url: `/api/v1/projects/${id}/resume` }
    }
  },
  'POST /api/v1/projects/reach-preview · own organisation': { request: () => ({ url: '/api/v1/projects/reach-preview', payload: { kind: 'fund', unitCost: 1000 } }) },
  'GET /api/v1/projects/:id/report.xlsx · A': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundA')}/report.xlsx` }) },

  'POST /api/v1/projects/:id/proposal-runs · A': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundA')}/proposal-runs`, payload: {} }) },
  'POST /api/v1/proposal-runs · A': { request: ({ w }) => ({ url: '/api/v1/proposal-runs', payload: { projectIds: [w.id('project.fundA')] } }), outcome: batchOutcome(202) },
  'GET /api/v1/proposal-runs/:id · A': { request: ({ w }) => ({ url: `/api/v1/proposal-runs/${w.id('run.A')}` }) },
  'GET /api/v1/proposal-runs/:id · B': { request: ({ w }) => ({ url: `/api/v1/proposal-runs/${w.id('run.B')}` }) },
  'GET /api/v1/proposal-runs/:id · A, 南浔镇 only': { request: ({ w }) => ({ url: `/api/v1/proposal-runs/${w.id('run.Nanxun')}` }) },
  'GET /api/v1/projects/:id/proposal-runs · A': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundA')}/proposal-runs` }) },
  'GET /api/v1/proposal-runs/:id/outcome · A': { request: ({ w }) => ({ url: `/api/v1/proposal-runs/${w.id('run.A')}/outcome` }) },
  ...forTowns('POST /api/v1/projects/:id/applications', {
    request: async ({ w, town, use }) => ({
      url: `/api/v1/projects/${w.id('project.fundA')}/applications`,
      payload: { householdId: await use(async fresh => (await fresh.household(town)).id), statement: '家中老人重病，申请救助' }
    })
  }),
  'GET /api/v1/projects/:id/proposals · A': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundA')}/proposals` }), ids: arrayIds },
  'GET /api/v1/projects/:id/proposals · B': { request: ({ w }) => ({ url: `/api/v1/projects/${w.id('project.fundB')}/proposals` }), ids: arrayIds },
  ...forTowns('POST /api/v1/proposals/:id/confirm', { request: async ({ town, use }) => ({ url: `/api/v1/proposals/${await use(fresh => fresh.proposal(town, 'A'))}/confirm`, payload: {} }) }),
  ...forTowns('POST /api/v1/proposals/:id/reject', { request: async ({ town, use }) => ({ url: `/api/v1/proposals/${await use(fresh => fresh.proposal(town, 'A'))}/reject`, payload: { reason: '已有其他帮扶' } }) }),
  ...forTowns('POST /api/v1/proposals/confirm', {
    request: async ({ town, use }) => ({ url: '/api/v1/proposals/confirm', payload: { items: [{ id: await use(fresh => fresh.proposal(town, 'A')) }] } }), outcome: batchOutcome(200)
  }),
  ...forTowns('POST /api/v1/proposals/reject', {
    request: async ({ town, use }) => ({ url: '/api/v1/proposals/reject', payload: { ids: [await use(fresh => fresh.proposal(town, 'A'))], reason: '已有其他帮扶' } }), outcome: batchOutcome(200)
  }),

  'GET /api/v1/fulfilments': { request: () => ({ url: '/api/v1/fulfilments' }), ids: response => response.json().map((f: { proposalId: number }) => f.proposalId) },
  'GET /api/v1/proposals/:id/fulfilment · A, 南浔镇': { request: ({ w }) => ({ url: `/api/v1/proposals/${w.id('fulfilment.A.T1')}/fulfilment` }) },
  'GET /api/v1/proposals/:id/fulfilment · A, 双林镇': { request: ({ w }) => ({ url: `/api/v1/proposals/${w.id('fulfilment.A.T2')}/fulfilment` }) },
  'GET /api/v1/proposals/:id/fulfilment · B, 南浔镇': { request: ({ w }) => ({ url: `/api/v1/proposals/${w.id('fulfilment.B.T1')}/fulfilment` }) },
  'POST /api/v1/proposals/:id/evidence · A, 南浔镇': { request: ({ w }) => ({ url: `/api/v1/proposals/${w.id('fulfilment.A.T1')}/evidence?fileName=receipt.png`, ...png }) },
  'POST /api/v1/proposals/:id/evidence · B, 南浔镇': { request: ({ w }) => ({ url: `/api/v1/proposals/${w.id('fulfilment.B.T1')}/evidence?fileName=receipt.png`, ...png }) },
  'POST /api/v1/proposals/:id/delivered · A, 南浔镇': { request: async ({ use }) => ({ url: `/api/v1/proposals/${await use(fresh => fresh.fulfilment('T1', 'evidenced'))}/delivered`, payload: {} }) },
  ...Object.fromEntries(Object.entries(TOWNS).flatMap(([town, { name }]) => [
    [`POST /api/v1/proposals/:id/received · A, ${name}`, {
      request: async ({ use }: Context) => ({ url: `/api/v1/proposals/${await use(fresh => fresh.fulfilment(town as Town, 'delivered'))}/received`, payload: {} })
    }],
    [`POST /api/v1/proposals/:id/cancel · A, ${name}`, {
      request: async ({ use }: Context) => ({ url: `/api/v1/proposals/${await use(fresh => fresh.fulfilment(town as Town, 'in_progress'))}/cancel`, payload: { reason: '家庭已获其他救助' } })
    }]
  ])),

  'GET /api/v1/courses': { request: () => ({ url: '/api/v1/courses' }), ids: arrayIds },
  'POST /api/v1/courses · A': {
    request: ({ w }) => ({ url: '/api/v1/courses', payload: { title: '围棋班', seats: 10, minAge: 6, maxAge: 12, regionCode: TOWNS.T1.code, halfYear: NOW, institutionId: w.id('institution.A') } })
  },
  'GET /api/v1/courses/:id · A': { request: ({ w }) => ({ url: `/api/v1/courses/${w.id('course.A')}` }) },
  'GET /api/v1/courses/:id · B': { request: ({ w }) => ({ url: `/api/v1/courses/${w.id('course.B')}` }) },
  'PATCH /api/v1/courses/:id · A': { request: ({ w }) => ({ url: `/api/v1/courses/${w.id('course.A')}`, payload: { schedule: '周六下午' } }) },
  'GET /api/v1/courses/:id/vouchers · A': { request: ({ w }) => ({ url: `/api/v1/courses/${w.id('course.A')}/vouchers` }), ids: response => response.json().map((v: { voucherId: number }) => v.voucherId) },
  ...forTowns('POST /api/v1/vouchers/issue', { request: ({ town }) => ({ url: '/api/v1/vouchers/issue', payload: { halfYear: NOW, regionCode: TOWNS[town].code } }) }),
  'GET /api/v1/vouchers': { request: () => ({ url: `/api/v1/vouchers?halfYear=${NOW}` }), ids: itemIds },
  'GET /api/v1/vouchers · filtered to 双林镇': { request: () => ({ url: `/api/v1/vouchers?halfYear=${NOW}&regionCode=${TOWNS.T2.code}` }), ids: itemIds },
  ...forTowns('GET /api/v1/vouchers/:id', { request: ({ w, town }) => ({ url: `/api/v1/vouchers/${w.id(`voucher.${town}`)}` }) }),
  ...forTowns('POST /api/v1/vouchers/:id/choice', {
    request: async ({ w, town, use }) => ({ url: `/api/v1/vouchers/${await use(fresh => fresh.voucher(town, 'issued'))}/choice`, payload: { courseId: w.id('course.A') } })
  }),
  ...forTowns('POST /api/v1/vouchers/:id/release', { request: async ({ town, use }) => ({ url: `/api/v1/vouchers/${await use(fresh => fresh.voucher(town, 'assigned'))}/release`, payload: { reason: '孩子生病' } }) }),
  ...forTowns('POST /api/v1/vouchers/assignments', { request: ({ town }) => ({ url: '/api/v1/vouchers/assignments', payload: { halfYear: NOW, regionCode: TOWNS[town].code } }) }),
  'POST /api/v1/vouchers/:id/redemption · seat in A': {
    request: async ({ use }) => ({ url: `/api/v1/vouchers/${await use(fresh => fresh.voucher('T1', 'assigned'))}/redemption`, payload: { sessionsTotal: 10, sessionsAttended: 9 } })
  },

  ...forTowns('POST /api/v1/dream-rooms', {
    request: async ({ town, use }) => ({
      url: '/api/v1/dream-rooms', payload: { personId: await use(async fresh => (await fresh.household(town)).child), roomCondition: '墙面发霉', budgetEstimate: 12000 }
    })
  }),
  'GET /api/v1/dream-rooms': { request: () => ({ url: '/api/v1/dream-rooms' }), ids: itemIds },
  'GET /api/v1/dream-rooms · filtered to 双林镇': { request: () => ({ url: `/api/v1/dream-rooms?regionCode=${TOWNS.T2.code}` }), ids: itemIds },
  'GET /api/v1/dream-rooms/offers': { request: () => ({ url: '/api/v1/dream-rooms/offers' }), ids: itemIds },
  'GET /api/v1/dream-rooms/funded': { request: () => ({ url: '/api/v1/dream-rooms/funded' }), ids: itemIds },
  ...forTowns('GET /api/v1/dream-rooms/:id', { request: ({ w, town }) => ({ url: `/api/v1/dream-rooms/${w.id(`room.${town}`)}` }) }),
  ...forTowns('GET /api/v1/dream-rooms/:id/summary', { request: ({ w, town }) => ({ url: `/api/v1/dream-rooms/${w.id(`room.${town}`)}/summary` }) }),
  'POST /api/v1/dream-rooms/:id/funding · 南浔镇': {
    request: async ({ w, use }) => ({ url: `/api/v1/dream-rooms/${await use(fresh => fresh.room('T1', false))}/funding`, payload: { projectId: w.id('project.roomsA') } })
  },
  ...forTowns('POST /api/v1/dream-rooms/:id/evidence', { request: ({ w, town }) => ({ url: `/api/v1/dream-rooms/${w.id(`room.${town}`)}/evidence?stage=survey&fileName=room.png`, ...png }) }),
  ...forTowns('POST /api/v1/dream-rooms/:id/stages/:stage/complete', {
    request: async ({ town, use }) => ({ url: `/api/v1/dream-rooms/${await use(fresh => fresh.room(town, true))}/stages/survey/complete`, payload: { note: '调查完成' } })
  }),
  ...forTowns('PATCH /api/v1/dream-rooms/:id/due-dates', { request: ({ w, town }) => ({ url: `/api/v1/dream-rooms/${w.id(`room.${town}`)}/due-dates`, payload: { handover: '2099-12-31' } }) }),
  ...forTowns('POST /api/v1/dream-rooms/:id/cancel', { request: async ({ town, use }) => ({ url: `/api/v1/dream-rooms/${await use(fresh => fresh.room(town, false))}/cancel`, payload: { reason: '家庭已搬迁' } }) }),

  'GET /api/v1/public/wishes': { request: () => ({ url: '/api/v1/public/wishes' }), ids: response => response.json().hits.map((hit: { id: number }) => hit.id) },
  'GET /api/v1/public/wishes/:id · published': { request: ({ w }) => ({ url: `/api/v1/public/wishes/${w.id('wish.T1.published')}` }) },
  'GET /api/v1/public/wishes/:id · claimed': { request: ({ w }) => ({ url: `/api/v1/public/wishes/${w.id('wish.T1.claimed')}` }) },
  'GET /api/v1/public/projects': { request: () => ({ url: '/api/v1/public/projects?hitsPerPage=50' }), ids: response => response.json().hits.map((hit: { id: number }) => hit.id) },
  'POST /api/v1/search/reindex': { request: () => ({ url: '/api/v1/search/reindex', payload: { index: 'wishes' } }) },
  'GET /api/v1/search/status': { request: () => ({ url: '/api/v1/search/status' }) },
  'GET /api/v1/search/consistency/:index': { request: () => ({ url: '/api/v1/search/consistency/wishes?sample=5' }) },
  'POST /api/v1/search/consistency/:index/repair': { request: () => ({ url: '/api/v1/search/consistency/wishes/repair?sample=5' }) },
  'GET /api/v1/search/synonyms/:index': { request: () => ({ url: '/api/v1/search/synonyms/wishes' }) },
  'PUT /api/v1/search/synonyms/:index': { request: () => ({ url: '/api/v1/search/synonyms/wishes', payload: { groups: [['书包', '双肩包']] } }) },

  'POST /api/v1/feeds': { request: () => ({ url: '/api/v1/feeds?kind=death&fileName=death.csv', headers: { 'content-type': 'text/csv' }, payload: '身份证号,死亡日期\n' }) },
  'GET /api/v1/feeds': { request: () => ({ url: '/api/v1/feeds?limit=200' }), ids: itemIds },
  ...forTowns('GET /api/v1/feeds/:id', { request: ({ w, town }) => ({ url: `/api/v1/feeds/${w.id(`feed.${town}`)}` }) }),
  'GET /api/v1/warnings': { request: () => ({ url: '/api/v1/warnings?limit=200' }), ids: itemIds },
  ...forTowns('GET /api/v1/warnings/:id', { request: ({ w, town }) => ({ url: `/api/v1/warnings/${w.id(`warning.${town}`)}` }) }),
  ...forTowns('POST /api/v1/warnings/:id/actions', { request: async ({ town, use }) => ({ url: `/api/v1/warnings/${await use(fresh => fresh.warning(town))}/actions`, payload: { action: 'visit', note: '已入户走访' } }) }),
  ...forTowns('POST /api/v1/warnings/:id/extension', { request: async ({ town, use }) => ({ url: `/api/v1/warnings/${await use(fresh => fresh.warning(town))}/extension`, payload: { workingDays: 3, reason: '情况复杂，需要会商' } }) }),
  ...forTowns('POST /api/v1/warnings/:id/referral', {
    request: async ({ town, use }) => ({ url: `/api/v1/warnings/${await use(fresh => fresh.warning(town))}/referral`, payload: { kind: 'wish', category: 'daily_goods', item: '电饭煲', value: 300, story: '家里的电饭煲坏了。' } })
  }),
  ...forTowns('POST /api/v1/warnings/:id/evidence', { request: async ({ town, use }) => ({ url: `/api/v1/warnings/${await use(fresh => fresh.warning(town))}/evidence?fileName=visit.png`, ...png }) }),
  'GET /api/v1/monitoring/rules': { request: () => ({ url: '/api/v1/monitoring/rules?profile=nanxun-2025' }) },
  'POST /api/v1/monitoring/rules': {
    request: () => ({ url: '/api/v1/monitoring/rules', payload: { profile: 'nanxun-2025', rule: 'disaster_loss', enabled: true, params: { threshold: 8000, complexAt: 60000 }, effectiveFrom: `2031-01-${String(++parameterDays).padStart(2, '0')}`, note: '测试版本' } })
  },
  'GET /api/v1/monitoring/routes': { request: () => ({ url: '/api/v1/monitoring/routes' }) },
  'PUT /api/v1/monitoring/routes': { request: () => ({ url: '/api/v1/monitoring/routes', payload: { warningClass: 'complex', department: 'civil_affairs', level: 'county', note: '县级协调机制' } }) },
  'GET /api/v1/monitoring/calendar': { request: () => ({ url: '/api/v1/monitoring/calendar' }) },
  'PUT /api/v1/monitoring/calendar/:year': { request: () => ({ url: '/api/v1/monitoring/calendar/2040', payload: { days: [{ day: '2040-02-12', kind: 'holiday', name: '春节' }], note: '测试' } }) }
}

/** 'GET /api/v1/wishes/:id · 南浔镇' → 'GET /api/v1/wishes/:id' */
const routeOf = (row: string) => row.split(' · ')[0] as string
const isApi = (rule: { url: string }) => rule.url.startsWith('/api/')

const w = await buildWorld(t)

t.test('deny by default: every route declares an access rule, and a route without one is refused', async t => {
  const undeclared = (rules: typeof w.app.routeRules) => rules.filter(rule => rule.access === undefined).map(rule => `${rule.method} ${rule.url}`)
  t.ok(w.app.routeRules.length > 100, 'the app\'s routes are walked')
  t.same(undeclared(w.app.routeRules), [], 'no route of the app lacks a rule')

  // The walk would catch a route added without one, and such a route answers 403 to everyone.
  const app = await appWithAccounts(t)
  app.get('/api/v1/undeclared', async () => ({ leaked: true }))
  app.post('/api/v1/undeclared', async () => ({ leaked: true }))
  t.same(undeclared(app.routeRules).sort(), ['GET /api/v1/undeclared', 'HEAD /api/v1/undeclared', 'POST /api/v1/undeclared'])
  const demoAccounts = WHO.filter(who => who !== 'anonymous' && w.password(who) === DEMO_PASSWORD)
  const callers = [{ who: 'anonymous', call: app.inject.bind(app) }, ...await Promise.all(demoAccounts.map(async who => ({ who, call: (await signIn(app, who)).call })))]
  for (const { who, call } of callers) {
    for (const method of ['GET', 'POST'] as const) {
      const response = await call({ method, url: '/api/v1/undeclared' })
      t.equal(response.statusCode, 403, `${who}: ${method} without a rule`)
      t.equal(response.json().error.code, 'forbidden')
      t.notMatch(response.body, /leaked/)
    }
  }
})

t.test('the matrix has a row for every API route and a request for every row', async t => {
  const registered = new Set(w.app.routeRules.filter(rule => isApi(rule) && rule.method !== 'HEAD').map(rule => `${rule.method} ${rule.url}`))
  const tabled = new Set(Object.keys(MATRIX).map(routeOf))
  t.same([...registered].filter(route => !tabled.has(route)), [], 'every registered API route has a row')
  t.same([...tabled].filter(route => !registered.has(route)), [], 'every row is a registered route')
  t.same(Object.keys(PROBES).sort(), Object.keys(MATRIX).sort(), 'every row has its request')
  for (const [row, cells] of Object.entries(MATRIX)) {
    t.equal(cells.length, WHO.length, `${row}: a cell per principal`)
    if (cells.some(cell => typeof cell !== 'number')) t.ok(PROBES[row]?.ids, `${row}: a list says how to read its records`)
  }
})

const kept = new Map<string, Promise<number>>()

async function probe (t: Test, row: string): Promise<void> {
  const cells = MATRIX[row] as readonly Cell[]
  const { request, ids, outcome, spare } = PROBES[row] as Probe
  for (const [i, who] of WHO.entries()) {
    const cell = cells[i] as Cell
    const expected = typeof cell === 'number' ? cell : 200
    const consumes = expected >= 200 && expected < 300
    const use: Context['use'] = make => {
      if (consumes) return make(w.fresh)
      if (!kept.has(row)) kept.set(row, make(w.fresh))
      return kept.get(row) as Promise<number>
    }
    const built = await request({ w, who, town: 'T1', use })
    const response = await w.call(who, { method: row.split(' ')[0] as string, ...built }, spare)
    const status = outcome ? outcome(response) : response.statusCode
    t.equal(status, expected, `${who}: ${row}`, status === expected ? {} : { body: response.body.slice(0, 300) })
    if (!outcome && response.statusCode === 401) t.equal(response.json().error.code, 'unauthenticated', `${who}: ${row}: unauthenticated`)
    if (!outcome && response.statusCode === 403) t.equal(response.json().error.code, 'forbidden', `${who}: ${row}: forbidden`)
    if (!outcome && response.statusCode === 404) t.equal(response.json().error.code, 'not_found', `${who}: ${row}: not found`)
    if (typeof cell !== 'number' && status === 200 && ids) {
      const names = (name: string) => {
        const value = w.ids.get(name)
        if (value === undefined) throw new Error(`no record named ${name}`)
        return String(value)
      }
      t.same(ids(response).map(String).sort(), cell.map(names).sort(), `${who}: ${row}: exactly ${cell.length === 0 ? 'nothing' : cell.join(', ')}`)
    }
    // Signing out everywhere ended the session the other rows use.
    if (spare && row.endsWith('sign-out-everywhere') && who !== 'anonymous') await w.renew(who)
  }
}

const rows = Object.keys(MATRIX)
t.test('reads: each principal gets exactly its own records', async t => {
  for (const row of rows.filter(row => row.startsWith('GET '))) await probe(t, row)
})
t.test('changes: each principal may change exactly what it reaches', async t => {
  for (const row of rows.filter(row => !row.startsWith('GET '))) await probe(t, row)
})
