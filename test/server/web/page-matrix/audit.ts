// The audit trail (/audit/*) — administrators, and auditors for their region — and the system
// page (/admin/system), administrators only.
import { L, type PageRows } from './world.js'

//                                                 anon   adm    mzC    mzN    cs     dPer   dCom   inst   aud
export const rows: PageRows = {
  'GET /audit':                           { cells: [L, 200, 403, 403, 403, 403, 403, 403, 200], request: () => ({ url: '/audit?action=household.*' }) },
  'GET /audit/verify':                    { cells: [L, 200, 403, 403, 403, 403, 403, 403, 200], request: () => ({ url: '/audit/verify' }) },
  'GET /audit/export.csv':                { cells: [L, 200, 403, 403, 403, 403, 403, 403, 200], request: () => ({ url: '/audit/export.csv?from=2020-01-01' }) },
  'GET /audit/export.xlsx':               { cells: [L, 200, 403, 403, 403, 403, 403, 403, 200], request: () => ({ url: '/audit/export.xlsx?action=household.create' }) },
  'GET /admin/system':                    { cells: [L, 200, 403, 403, 403, 403, 403, 403, 403], request: () => ({ url: '/admin/system' }) },
  'POST /admin/system/failed-jobs/:queue/:jobId/retry · no such job': { cells: [L, 404, 403, 403, 403, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/admin/system/failed-jobs/imports/999999/retry' }) }
}
