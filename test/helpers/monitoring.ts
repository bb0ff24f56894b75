// Dynamic monitoring in tests: households registered with ID numbers the test knows (so that
// department feeds can name them), feeds imported through the API and waited for, and the
// application's clock set to a day in China Standard Time.
import { makeResidentId } from '../../matching/resident-id.js'
import { setClock } from '../../server/clock.js'
import { appWithAccounts, signIn, type Session } from './accounts.js'
import { insertRegionTree } from './fixtures.js'
import { startWorker } from './worker.js'
import { VILLAGE } from './needs.js'
import type { PageClient } from './pages.js'

let sequence = 500

/** A new resident ID number born on the day. */
export const residentId = (birthDate: string, sex: 'male' | 'female' = 'male') => makeResidentId('330503', birthDate, sequence += 2, sex)

/** Runs the application's clock at 10:00 China time on `day` (tests put it back with setClock()). */
export function clockAt (day: string): void {
  const at = Date.parse(`${day}T10:00:00+08:00`)
  setClock(() => at)
}

export interface Family { id: number, personIds: number[], idNumbers: string[], category: string }

/**
 * A household of the given members (the first the head), 低保 by default (income far below the
 * line); `overrides` changes the household's fields (income, status, village…).
 */
export async function family (clerk: Session, members: Array<{ birthDate: string, name?: string, laborCapacity?: string, employed?: boolean, sex?: 'male' | 'female' }>, overrides: Record<string, unknown> = {}): Promise<Family> {
  const idNumbers = members.map(m => residentId(m.birthDate, m.sex))
  const response = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: {
      regionCode: VILLAGE, address: '南浔镇东大街 8 号', phone: '13905720000',
      annualIncome: 3000, rigidExpenses: { medical: 0, education: 0 }, propertyCompliant: true, propertyCheckedOn: '2026-01-05', povertyMonitoring: false, hardships: [],
      members: members.map((m, i) => ({
        name: m.name ?? (i === 0 ? '周大成' : '周小成'), idNumber: idNumbers[i], relation: i === 0 ? 'head' : 'child',
        laborCapacity: m.laborCapacity ?? 'full', hasIncomeSource: false, hasAbleSupporter: true, disability: null, seriousIllness: false, schoolStage: 'none', employed: m.employed ?? false
      })),
      ...overrides
    }
  })
  if (response.statusCode !== 201) throw new Error(`household not registered: ${response.body}`)
  const body = response.json()
  return { id: body.id, personIds: body.members.map((m: { id: number }) => m.id), idNumbers, category: body.category }
}

/** Imports a feed through the API (as a CSV unless told otherwise) and waits for the worker to finish it. */
export async function importFeed (session: Session, kind: string, body: string | Buffer, contentType = 'text/csv'): Promise<Record<string, any>> {
  const queued = await session.call({ method: 'POST', url: `/api/v1/feeds?kind=${kind}&fileName=${kind}-feed`, headers: { 'content-type': contentType }, payload: body })
  if (queued.statusCode !== 202) throw new Error(`feed not accepted: ${queued.statusCode} ${queued.body}`)
  for (let i = 0; i < 600; i++) {
    const run = (await session.call({ method: 'GET', url: `/api/v1/feeds/${queued.json().id}` })).json()
    if (!['queued', 'running'].includes(run.status)) return run
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error('feed import did not finish')
}

export const csvOf = (rows: string[][]) => rows.map(row => row.join(',')).join('\n') + '\n'

/** Posts a page form with a file as a browser does (multipart), with the page's CSRF token. */
export function postFile (browser: PageClient, url: string, fields: Record<string, string>, file?: { field: string, name: string, content: string | Buffer, type?: string }) {
  const boundary = '----shanqiao-test-boundary'
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries({ _csrf: browser.csrf, ...fields })) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\ncontent-type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`))
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content))
    parts.push(Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return browser.request({ method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
}

/** An app on 11 February 2026 (before the Spring Festival) with the region tree, the worker, and 南浔镇's and the county's civil affairs signed in. */
export async function monitoringWorld (t: { teardown: (fn: () => unknown) => void }) {
  clockAt('2026-02-11')
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  startWorker(app)
  return { app, clerk: await signIn(app, 'mz-nanxun'), county: await signIn(app, 'mz-county') }
}
