// One error shape for every API error:
//   { "error": { "code": "snake_case", "message": "中文说明 (English)", "details": [...] } }
// Codes are stable English identifiers for programs; messages are for people.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

export interface ErrorDetail {
  field?: string
  code: string
  message: string
  [extra: string]: unknown
}

export class AppError extends Error {
  constructor (
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = []
  ) {
    super(message)
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `未找到${what} (not found)`)
export const conflict = (code: string, message: string, details: ErrorDetail[] = []) => new AppError(409, code, message, details)
/** 400 for input the schema accepts but the rules do not, in the shape schema failures have. */
export const invalid = (details: ErrorDetail[]) => new AppError(400, 'validation_failed', '请求参数不合法 (request validation failed)', details)

export interface ValidationIssue {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

/** Turns Ajv's issues into one detail per bad field, with a dotted path (household.members.0.sex). */
export function validationDetails (issues: ValidationIssue[], context: string | undefined): ErrorDetail[] {
  return issues.map(issue => {
    const path = issue.instancePath.split('/').filter(Boolean)
    if (issue.keyword === 'required') path.push(String(issue.params.missingProperty))
    if (issue.keyword === 'additionalProperties') path.push(String(issue.params.additionalProperty))
    const detail: ErrorDetail = {
      field: [context ?? 'body', ...path].join('.'),
      code: issue.keyword,
      message: issue.message ?? 'is invalid'
    }
    if (issue.keyword === 'enum' || issue.keyword === 'const') detail.allowed = issue.params.allowedValues ?? issue.params.allowedValue
    return detail
  })
}

const CLIENT_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json'
}

/** SQLSTATE classes 08 (connection exception) and 57P (server shutting down or starting). */
const CONNECTION_STATES = /^(08|57P0[1-3])/
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])
// What node-postgres says when the server goes away mid-query or no connection comes in time.
const CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/

function databaseUnavailable (error: Error & { code?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : ''
  return CONNECTION_STATES.test(code) || CONNECTION_ERRNOS.has(code) || CONNECTION_MESSAGES.test(error.message)
}

/** How pages show errors (server/web/errors.ts): the API's JSON shape is for programs, not people. */
export interface PageErrors {
  isPagePath: (url: string) => boolean
  error: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>
  notFound: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>
}

export const errorHandling = fp(async function errorHandling (app: FastifyInstance, { pages }: { pages?: PageErrors }) {
  app.setErrorHandler((thrown: FastifyError & { validation?: ValidationIssue[], validationContext?: string }, request, reply) => {
    let error = thrown
    if (!(thrown instanceof AppError) && !thrown.validation && databaseUnavailable(thrown)) {
      // Not the request's fault and not a bug: PostgreSQL is down or restarting, and the pool
      // reconnects by itself once it is back.
      request.log.warn({ err: thrown }, 'database unavailable')
      reply.header('retry-after', '5')
      error = new AppError(503, 'service_unavailable', '数据库暂时不可用，请稍后重试 (the database is unavailable; try again shortly)') as typeof thrown
    }
    if (pages?.isPagePath(request.url)) return pages.error(error, request, reply)
    if (error instanceof AppError) {
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message, details: error.details } })
    }
    if (error.validation) {
      const details = validationDetails(error.validation, error.validationContext)
      return reply.status(400).send({ error: { code: 'validation_failed', message: '请求参数不合法 (request validation failed)', details } })
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const code = CLIENT_CODES[error.code] ?? (error instanceof SyntaxError ? 'invalid_json' : 'bad_request')
      return reply.status(status).send({ error: { code, message: `请求无法处理 (${error.message})`, details: [] } })
    }
    // Never echo internal messages: they can carry SQL, paths or personal data.
    request.log.error({ err: error }, 'unhandled error')
    return reply.status(500).send({ error: { code: 'internal_error', message: '服务器内部错误，请稍后重试 (internal error)', details: [] } })
  })

  app.setNotFoundHandler((request, reply) => {
    if (pages?.isPagePath(request.url)) return pages.notFound(request, reply)
    return reply.status(404).send({ error: { code: 'route_not_found', message: `接口不存在：${request.method} ${request.url.split('?')[0]} (no such route)`, details: [] } })
  })
})

/**
 * What Fastify's router refuses before any route or hook runs — a path that does not decode
 * (`%ED%A0%80`), a path segment longer than maxParamLength — in the one shape too.
 */
export function frameworkErrors (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
  void reply.status(tooLong ? 414 : 400).send({
    error: tooLong
      ? { code: 'uri_too_long', message: '请求路径过长 (a path segment is too long)', details: [] }
      : { code: 'bad_url', message: '请求路径无法解析 (the path is not valid percent-encoded UTF-8)', details: [] }
  })
}

/** JSON schema of the error body, referenced by route schemas for the OpenAPI document. */
export const errorResponseSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', additionalProperties: true } }
      }
    }
  }
} as const
