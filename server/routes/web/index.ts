// Every page route, in one context: form fields left empty count as not given (a page form
// sends "" for an untouched input, where the API's client would leave the key out), so the
// API's schemas, defaults and "required" checks read a form as they read JSON.
import type { FastifyPluginAsync } from 'fastify'
import { accountPages } from './account.js'
import { donorPages } from './donor.js'
import { notificationPages } from './notifications.js'
import { publicPages } from './public.js'

export const webPages: FastifyPluginAsync = async app => {
  app.addHook('preValidation', async request => {
    const body = request.body
    if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) return
    for (const [name, value] of Object.entries(body)) if (value === '') delete (body as Record<string, unknown>)[name]
  })
  await app.register(publicPages)
  await app.register(accountPages)
  await app.register(donorPages)
  await app.register(notificationPages)
}
