// The charity workbench (/charity/*): charity-federation staff of the project's organisation
// and administrators; civil-affairs staff and auditors of the region follow runs, proposals,
// the ledger and fulfilments (match.read, fulfilment.read). The world's open project, a donor,
// and ids that do not exist where the answer for those allowed is a 404.
import { L, type PageRows, type PageWorld } from './world.js'

export async function setup ({ app }: PageWorld) {
  const donor = (await app.db.selectFrom('users').select('donor_id').where('username', '=', 'donor-person').executeTakeFirstOrThrow()).donor_id as number
  return { donor }
}

const NONE = 999999
//                                                 anon   adm    mzC    mzN    cs     dPer   dCom   inst   aud
export const rows: PageRows = {
  'GET /charity':                         { cells: [L, 200, 403, 403, 200, 403, 403, 403, 403], request: () => ({ url: '/charity' }) },
  'GET /charity/projects':                { cells: [L, 200, 403, 403, 200, 403, 403, 403, 403], request: () => ({ url: '/charity/projects' }) },
  'GET /charity/projects/new':            { cells: [L, 200, 403, 403, 200, 403, 403, 403, 403], request: () => ({ url: '/charity/projects/new' }) },
  'POST /charity/projects · incomplete':  { cells: [L, 400, 403, 403, 400, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/charity/projects', fields: { title: '助' } }) },
  'POST /charity/projects/preview · incomplete': { cells: [L, 400, 403, 403, 400, 403, 403, 403, 403], request: () => ({ method: 'POST', url: '/charity/projects/preview', fields: { title: '助' } }) },
  'GET /charity/projects/:id':            { cells: [L, 200, 403, 403, 200, 403, 403, 403, 403], request: ids => ({ url: `/charity/projects/${ids.project}` }) },
  'GET /charity/projects/:id/edit':       { cells: [L, 200, 403, 403, 200, 403, 403, 403, 403], request: ids => ({ url: `/charity/projects/${ids.project}/edit` }) },
  'POST /charity/projects/:id · bad budget': { cells: [L, 400, 403, 403, 400, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/charity/projects/${ids.project}`, fields: { budget: '-5' } }) },
  'POST /charity/projects/:id/preview · bad budget': { cells: [L, 400, 403, 403, 400, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/charity/projects/${ids.project}/preview`, fields: { budget: '-5' } }) },
  'POST /charity/projects/:id/open · already open': { cells: [L, '→/charity/projects/{project}', 403, 403, '→/charity/projects/{project}', 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/charity/projects/${ids.project}/open` }) },
  'POST /charity/projects/:id/pause · no such project': { cells: [L, 404, 403, 403, 404, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/charity/projects/${NONE}/pause` }) },
  'POST /charity/projects/:id/resume · not paused': { cells: [L, '→/charity/projects/{project}', 403, 403, '→/charity/projects/{project}', 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/charity/projects/${ids.project}/resume` }) },
  'POST /charity/projects/:id/close · no such project': { cells: [L, 404, 403, 403, 404, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/charity/projects/${NONE}/close` }) },
  'POST /charity/projects/:id/runs · no such project': { cells: [L, 404, 403, 403, 404, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/charity/projects/${NONE}/runs` }) },
  'GET /charity/projects/:id/runs':       { cells: [L, 200, 200, 200, 200, 403, 403, 403, 200], request: ids => ({ url: `/charity/projects/${ids.project}/runs` }) },
  'GET /charity/runs/:id · no such run':  { cells: [L, 404, 404, 404, 404, 403, 403, 403, 404], request: () => ({ url: `/charity/runs/${NONE}` }) },
  'GET /charity/projects/:id/proposals':  { cells: [L, 200, 200, 200, 200, 403, 403, 403, 200], request: ids => ({ url: `/charity/projects/${ids.project}/proposals` }) },
  'GET /charity/projects/:id/ledger':     { cells: [L, 200, 200, 200, 200, 403, 403, 403, 200], request: ids => ({ url: `/charity/projects/${ids.project}/ledger` }) },
  'GET /charity/projects/:id/report.xlsx': { cells: [L, 200, 200, 200, 200, 403, 403, 403, 200], request: ids => ({ url: `/charity/projects/${ids.project}/report.xlsx` }) },
  'GET /charity/fulfilments':             { cells: [L, 200, 200, 200, 200, 403, 403, 403, 200], request: () => ({ url: '/charity/fulfilments' }) },
  'GET /charity/fulfilments/:id · no such': { cells: [L, 404, 404, 404, 404, 403, 403, 403, 404], request: () => ({ url: `/charity/fulfilments/${NONE}` }) },
  'GET /charity/fulfilments/:id/evidence/:evidenceId · no such': { cells: [L, 404, 404, 404, 404, 403, 403, 403, 404], request: () => ({ url: `/charity/fulfilments/${NONE}/evidence/${NONE}` }) },
  'POST /charity/fulfilments/:id/evidence · no such': { cells: [L, 404, 403, 403, 404, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/charity/fulfilments/${NONE}/evidence` }) },
  'POST /charity/fulfilments/:id/delivered · no such': { cells: [L, 404, 403, 403, 404, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/charity/fulfilments/${NONE}/delivered` }) },
  'POST /charity/fulfilments/:id/cancel · no such': { cells: [L, 404, 404, 404, 404, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/charity/fulfilments/${NONE}/cancel`, fields: { reason: '家庭已搬走' } }) },
  'GET /charity/dream-rooms':             { cells: [L, 200, 403, 403, 200, 403, 403, 403, 403], request: () => ({ url: '/charity/dream-rooms' }) },
  'POST /charity/dream-rooms/:id/fund · no such': { cells: [L, 404, 403, 403, 404, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/charity/dream-rooms/${NONE}/fund`, fields: { projectId: String(ids.project) } }) },
  'GET /charity/dream-rooms/:id · no such': { cells: [L, 404, 403, 403, 404, 403, 403, 403, 403], request: () => ({ url: `/charity/dream-rooms/${NONE}` }) },
  'POST /charity/dream-rooms/:id/evidence · no such': { cells: [L, 404, 404, 404, 404, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/charity/dream-rooms/${NONE}/evidence` }) },
  'POST /charity/dream-rooms/:id/stages/:stage/complete · no such': { cells: [L, 404, 404, 404, 404, 403, 403, 403, 403], request: () => ({ method: 'POST', url: `/charity/dream-rooms/${NONE}/stages/survey/complete` }) },
  'GET /charity/donors':                  { cells: [L, 200, 403, 403, 200, 403, 403, 403, 403], request: () => ({ url: '/charity/donors' }) },
  'GET /charity/donors/:id':              { cells: [L, 200, 403, 403, 200, 403, 403, 403, 403], request: ids => ({ url: `/charity/donors/${ids.donor}` }) },
  'POST /charity/donors/:id/notes/check · empty': { cells: [L, 400, 403, 403, 400, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/charity/donors/${ids.donor}/notes/check` }) },
  'POST /charity/donors/:id/notes · empty': { cells: [L, 400, 403, 403, 400, 403, 403, 403, 403], request: ids => ({ method: 'POST', url: `/charity/donors/${ids.donor}/notes` }) }
}
