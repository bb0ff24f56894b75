// Every page route, in one context: form fields left empty count as not given (a page form
// sends "" for an untouched input or an "all" option, where the API's client would leave the
// key out), so the API's schemas, defaults and "required" checks read a form as they read JSON.
import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../../http/errors.js'
import { accountPages } from './account.js'
import { auditPages } from './audit.js'
import { adminRulePages } from './admin-rules.js'
import { adminSearchPages } from './admin-search.js'
import { adminSystemPages } from './admin-system.js'
import { adminUserPages } from './admin-users.js'
import { charityDonorPages } from './charity-donors.js'
import { charityFollowPages } from './charity-follow.js'
import { charityProjectPages } from './charity-projects.js'
import { dashboardPages } from './dashboards.js'
import { donorPages } from './donor.js'
import { institutionPages } from './institution.js'
import { notificationPages } from './notifications.js'
import { monitoringPages } from './monitoring.js'
import { publicPages } from './public.js'
import { workPages } from './work/index.js'

/** What page forms send: their fields as text, or, with a file, as multipart. */
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/

export const webPages: FastifyPluginAsync = async app => {
  app.addHook('preValidation', async request => {
    // Pages take forms only: their schemas read text (see http/input.ts); a JSON body is for the API.
    const type = request.headers['content-type']
    if (request.method !== 'GET' && type !== undefined && !FORM_TYPES.test(type)) throw new AppError(415, 'unsupported_media_type', '页面只接收表单提交 (pages accept form posts only)')
    for (const fields of [request.query, request.body]) {
      if (!fields || typeof fields !== 'object' || Buffer.isBuffer(fields)) continue
      for (const [name, value] of Object.entries(fields)) if (value === '') delete (fields as Record<string, unknown>)[name]
    }
  })
  app.addHook('preHandler', async request => {
    // A page that reads its query leniently (attachValidation) still has no page for a bad
    // address: a malformed path parameter is "page not found" (web/errors.ts), never a handler's.
    const failed = request.validationError as (Error & { validationContext?: string }) | undefined
    if (failed?.validationContext === 'params') throw failed
  })
  await app.register(publicPages)
  await app.register(accountPages)
  await app.register(donorPages)
  await app.register(notificationPages)
  await app.register(workPages)
  await app.register(charityProjectPages)
  await app.register(charityFollowPages)
  await app.register(charityDonorPages)
  await app.register(adminUserPages)
  await app.register(adminRulePages)
  await app.register(adminSearchPages)
  await app.register(adminSystemPages)
  await app.register(auditPages)
  await app.register(institutionPages)
  await app.register(monitoringPages)
  await app.register(dashboardPages)
}
