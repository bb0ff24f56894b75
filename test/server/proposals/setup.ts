// Shared by the proposal tests: households registered through the API (so they are
// classified), projects inserted directly (the projects API is elsewhere), the worker's
// processors on the test queues, and waiting for a run.
import type { FastifyInstance } from 'fastify'
import type { Insertable } from 'kysely'
import { makeResidentId } from '../../../matching/resident-id.js'
import type { ProjectTable } from '../../../server/db/schema.js'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { startWorker } from '../../helpers/worker.js'

interface Teardown { teardown: (fn: () => unknown) => void }

let sequence = 0

/** A household with a weak-labour head born 1970 and, optionally, children (birth date, school stage). */
export async function register (clerk: Session, regionCode: string, annualIncome: number, children: Array<[string, string]> = []): Promise<number> {
  const member = (birthDate: string, relation: string, schoolStage?: string) => ({
    name: '测试', idNumber: makeResidentId('330503', birthDate, ++sequence * 2, 'male'), relation, laborCapacity: relation === 'head' ? 'weak' : 'none',
    hasIncomeSource: relation === 'head', ...(schoolStage ? { schoolStage } : {})
  })
  const response = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: { regionCode, annualIncome, propertyCompliant: true, members: [member('1970-01-01', 'head'), ...children.map(([birth, stage]) => member(birth, 'child', stage))] }
  })
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json().id
}

export async function finishedRun (session: Session, runId: number) {
  for (let i = 0; i < 300; i++) {
    const run = (await session.call({ method: 'GET', url: `/api/v1/proposal-runs/${runId}` })).json()
    if (run.status === 'completed' || run.status === 'failed') return run
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error('run did not finish')
}

/** Starts a run as `session` and waits for it. */
export async function runFor (session: Session, project: number) {
  const started = await session.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })
  if (started.statusCode !== 202) throw new Error(started.body)
  return finishedRun(session, started.json().runId)
}

/** An open project of cszh's organisation (南浔区慈善总会) unless said otherwise. */
export async function insertProject (app: FastifyInstance, project: Omit<Insertable<ProjectTable>, 'organisation_id' | 'title'> & { organisation_id?: number, title?: string }): Promise<number> {
  const organisation = await app.db.selectFrom('organisations').select('id').where('name', '=', '南浔区慈善总会').executeTakeFirstOrThrow()
  const row = await app.db.insertInto('projects').values({ organisation_id: organisation.id, title: '测试项目', status: 'open', ...project }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export interface World {
  app: FastifyInstance
  /** mz-county, mz-nanxun (南浔镇), cszh (the project's organisation). */
  county: Session
  town: Session
  charity: Session
}

/** An app with the demo accounts, the region tree and the worker's processors. */
export async function world (t: Teardown): Promise<World> {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  startWorker(app)
  return { app, county: await signIn(app, 'mz-county'), town: await signIn(app, 'mz-nanxun'), charity: await signIn(app, 'cszh') }
}

/** The last audit record of an action. */
export async function lastAudit (app: FastifyInstance, action: string) {
  return app.db.selectFrom('audit_records').select(['action', 'record_id', 'after', 'details']).where('action', '=', action).orderBy('id', 'desc').executeTakeFirst()
}
