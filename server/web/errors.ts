// Errors on pages: the same errors the API answers in its JSON shape, shown as a page of the
// layout in plain Chinese, without internals. A page that needs a signed-in person sends a
// signed-out one (or one whose session has expired) to the sign-in page, with the way back.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, type ValidationIssue } from '../http/errors.js'
import { isAction, rolesFor } from '../auth/policy.js'
import { ROLE_NAMES } from '../auth/roles.js'
import { plainMessage } from './forms.js'
import { loginPathFor, safeNextPath } from './next-path.js'

/** The path of a URL of this site (compared as URLs, so that an explicit default port is no different), else undefined. */
function pathOnThisSite (request: FastifyRequest, url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined
  try {
    const parsed = new URL(url)
    return parsed.host === new URL(`${parsed.protocol}//${request.host}`).host ? safeNextPath(`${parsed.pathname}${parsed.search}`) : undefined
  } catch {
    return undefined
  }
}

/** Where a signed-out person should come back to: this page, the page htmx worked in, or the page whose form posted. */
function wayBack (request: FastifyRequest): string | undefined {
  if (request.wantsFragment) return pathOnThisSite(request, request.headers['hx-current-url'])
  if (request.method === 'GET') return request.url
  return pathOnThisSite(request, request.headers.referer)
}

interface ErrorPage { status: number, heading: string, message: string, details?: string[], roles?: string, signIn?: string }

function describe (request: FastifyRequest, error: FastifyError & { validation?: ValidationIssue[], validationContext?: string }): ErrorPage {
  const status = error instanceof AppError ? error.statusCode : error.validation ? 400 : (error.statusCode ?? 500)
  // A malformed id in a page's address is a page that does not exist.
  if (error.validation && error.validationContext === 'params') return { status: 404, heading: '页面不存在', message: '您访问的页面不存在，或地址有误。' }
  switch (status) {
    case 400: case 413: case 415: {
      const details = error instanceof AppError ? error.details.map(detail => plainMessage(detail.message)) : []
      return { status, heading: '请求有误', message: error instanceof AppError ? plainMessage(error.message) : '提交的内容不正确，请返回检查后重试。', details }
    }
    case 403: {
      if (error instanceof AppError && error.code === 'csrf_rejected') {
        return { status, heading: '页面已过期', message: '表单已失效或来自其他网站。请返回上一页，刷新后再试一次。' }
      }
      const access = request.routeOptions.config.access
      const roles = access && access !== 'public' && access !== 'signed_in' && isAction(access) ? rolesFor(access).map(role => ROLE_NAMES[role]).join('、') : undefined
      return {
        status,
        heading: '没有权限',
        message: request.principal ? '您的账号不能查看或办理这项内容。' : '请先登录有权限的账号。',
        ...(roles ? { roles } : {}),
        ...(request.principal ? {} : { signIn: loginPathFor(wayBack(request)) })
      }
    }
    case 404: return { status, heading: '没有找到', message: error instanceof AppError ? plainMessage(error.message) : '您访问的页面不存在，或地址有误。' }
    case 423: case 429: return { status, heading: '请稍后再试', message: error instanceof AppError ? plainMessage(error.message) : '操作过于频繁，请稍后再试。' }
    case 503: return { status, heading: '服务暂时不可用', message: error instanceof AppError ? plainMessage(error.message) : '服务暂时不可用，请稍后再试。' }
    default:
      if (status >= 400 && status < 500) return { status, heading: '请求无法处理', message: '请返回上一页检查后重试。' }
      return { status: 500, heading: '出错了', message: '服务器遇到了问题，我们已经记录下来。请稍后再试；如果一直出现，请联系平台管理员。' }
  }
}

/** The error handler of the page routes. */
export async function pageErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (error instanceof AppError && error.code === 'unauthenticated') {
    const login = loginPathFor(wayBack(request), request.staleSession ? 'expired' : undefined)
    // htmx would follow a redirect and swap the sign-in page into a part of this one: it navigates instead.
    if (request.wantsFragment) return reply.header('hx-redirect', login).status(401).send('')
    return reply.redirect(login, 303)
  }
  const page = describe(request, error)
  if (page.status >= 500) request.log.error({ err: error }, 'unhandled error on a page')
  if (error instanceof AppError && error.statusCode === 429) {
    const wait = error.details.find(detail => detail.code === 'retry_after')?.retryAfter
    if (typeof wait === 'number') reply.header('retry-after', String(wait))
  }
  // For htmx, the message goes where the part of the page would have gone.
  if (request.wantsFragment) return reply.status(page.status).fragment('shell/error', { error: page })
  return reply.status(page.status).page('error', { title: page.heading, error: page })
}

/** Unknown addresses outside the API. */
export async function pageNotFound (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return reply.status(404).page('error', { title: '没有找到', error: { status: 404, heading: '没有找到', message: '您访问的页面不存在，或地址有误。' } })
}
