// A message for the next page a person sees after an action ("已认领，请在 12月18日 前送达"):
// kept in a short-lived cookie across the redirect, shown once, then cleared. The text is
// escaped when shown like anything else, so a forged cookie can only forge words.
import type { FastifyReply, FastifyRequest } from 'fastify'

export type FlashKind = 'success' | 'info' | 'error'
export interface Flash { kind: FlashKind, text: string }

const COOKIE = 'sq_flash'
const MAX_MESSAGES = 5

function read (request: FastifyRequest): Flash[] {
  // An error early in a request (before the cookie parser ran) still gets its page.
  const raw = request.cookies?.[COOKIE]
  if (!raw) return []
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    return Array.isArray(parsed)
      ? parsed.filter((f): f is Flash => typeof f?.text === 'string' && ['success', 'info', 'error'].includes(f?.kind)).slice(0, MAX_MESSAGES)
      : []
  } catch {
    return []
  }
}

/** Messages set while answering this request (several may be, before the cookie is sent). */
const pending = new WeakMap<FastifyReply, Flash[]>()

/** Adds a message for the next page (after a redirect). */
export function setFlash (request: FastifyRequest, reply: FastifyReply, kind: FlashKind, text: string): void {
  const messages = [...(pending.get(reply) ?? read(request)), { kind, text }].slice(-MAX_MESSAGES)
  pending.set(reply, messages)
  reply.setCookie(COOKIE, Buffer.from(JSON.stringify(messages)).toString('base64url'), { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 120 })
}

/** The messages waiting for this page; they are cleared as they are shown. */
export function takeFlash (request: FastifyRequest, reply: FastifyReply): Flash[] {
  const messages = read(request)
  if (messages.length > 0) reply.clearCookie(COOKIE, { path: '/' })
  return messages
}
