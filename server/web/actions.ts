// A button that does one thing (open a project, start a run, revoke a token): when the domain
// refuses it for a reason the person can act on (400, 409), the page they came from says why
// in a flash message instead of an error page.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../http/errors.js'
import { setFlash } from './flash.js'
import { plainMessage } from './forms.js'

export async function actOrSayWhy (request: FastifyRequest, reply: FastifyReply, back: string, work: () => Promise<unknown>): Promise<unknown> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof AppError) || ![400, 409].includes(error.statusCode)) throw error
    setFlash(request, reply, 'error', plainMessage(error.message))
    return reply.redirect(back, 303)
  }
}
