// Every page route, in one context: form fields left empty count as not given (a page form
// sends "" for an untouched input or an "all" option, where the API's client would leave the
// key out), so the API's schemas, defaults and "required" checks read a form as they read JSON.
import type { FastifyPluginAsync } from 'fastify'
import { accountPages } from './account.js'
import { donorPages } from './donor.js'
import { notificationPages } from './notifications.js'
import { publicPages } from './public.js'

export const webPages: FastifyPluginAsync = async app => {
  app.addHook('preValidation', async request => {
    for (const fields of [request.query, request.body]) {
      if (!fields || typeof fields !== 'object' || Buffer.isBuffer(fields)) continue
      for (const [name, value] of Object.entries(fields)) if (value === '') delete (fields as Record<string, unknown>)[name]
    }
  })
  await app.register(publicPages)
  await app.register(accountPages)
  await app.register(donorPages)
  await app.register(notificationPages)
}
