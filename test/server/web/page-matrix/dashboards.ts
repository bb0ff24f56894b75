// The dashboards (issue 20): civil affairs' and auditors' of their region, charity staff's of
// their organisation, administrators' of everything; the public impact page for everyone.
// Figures of another region are out of reach (404) like any record there.
import { L, type PageRows } from './world.js'

//                                                 anon   adm    mzC    mzN    cs     dPer   dCom   inst   aud
export const rows: PageRows = {
  'GET /work/dashboard':                  { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/dashboard' }) },
  'GET /work/dashboard · another town':   { cells: [L,     200,   200,   404,   403,   403,   403,   403,   200], request: () => ({ url: '/work/dashboard?region=330503102&period=year' }) },
  'GET /work/dashboard/report.xlsx':      { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/dashboard/report.xlsx?period=month' }) },
  'GET /work/dashboard/:table.csv':       { cells: [L,     200,   200,   200,   403,   403,   403,   403,   200], request: () => ({ url: '/work/dashboard/coverage-persons.csv' }) },
  'GET /work/dashboard/:table.csv · no such table': { cells: [L, 404, 404,  404,   403,   403,   403,   403,   404], request: () => ({ url: '/work/dashboard/no-such.csv' }) },
  'GET /charity/dashboard':               { cells: [L,     200,   403,   403,   200,   403,   403,   403,   403], request: () => ({ url: '/charity/dashboard?period=quarter' }) },
  'GET /charity/dashboard/:table.csv':    { cells: [L,     200,   403,   403,   200,   403,   403,   403,   403], request: () => ({ url: '/charity/dashboard/projects.csv' }) },
  'GET /impact':                          { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/impact?period=custom&from=2025-01&to=2025-06' }) },
  'GET /impact/:table.csv':               { cells: [200,   200,   200,   200,   200,   200,   200,   200,   200], request: () => ({ url: '/impact/impact-months.csv' }) }
}
