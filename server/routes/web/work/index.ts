// The civil-affairs workbench (/work/…): a county bureau clerk at a desk, a town officer on a
// phone in a village. Every page calls the domain functions and access rules of its API twin,
// scoped to the person's region exactly as the API is.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { homePages } from './home.js'
import { householdFormPages } from './household-forms.js'
import { householdPages } from './households.js'
import { wishPages } from './wishes.js'
import { claimPages } from './claims.js'
import { proposalPages } from './proposals.js'
import { importPages } from './imports.js'
import { dreamRoomPages } from './dream-rooms.js'
import { voucherPages } from './vouchers.js'

export const workPages: FastifyPluginAsyncTypebox = async app => {
  // Pages keep a bad query or form to show it (attachValidation), but an address whose id is not
  // an id names no page: it is the error page's 404, before any handler reads the id.
  app.addHook('preHandler', async request => {
    const error = request.validationError as (Error & { validationContext?: string }) | undefined
    if (error?.validationContext === 'params') throw error
  })
  await app.register(homePages)
  await app.register(householdPages)
  await app.register(householdFormPages)
  await app.register(wishPages)
  await app.register(claimPages)
  await app.register(proposalPages)
  await app.register(importPages)
  await app.register(dreamRoomPages)
  await app.register(voucherPages)
}
