// Page forms post to routes with the API's own body schemas. What goes wrong — the schema's
// complaints, or the domain's refusal (AppError with field details) — is shown beside the
// field it concerns, in Chinese, with what the person typed kept (never a password).
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError, type ValidationIssue } from '../http/errors.js'
import { CSRF_FIELD } from '../auth/csrf.js'
import { noteRefusal } from '../statistics/refusals.js'

/** Field name → its label on the form, for messages such as "请填写用户名". */
export type Labels = Record<string, string>

export interface FormState {
  values: Record<string, unknown>
  /** Field name → what is wrong with it. */
  errors: Record<string, string>
  /** Problems that belong to no one field (and, for the summary at the top, every field's too). */
  problems: string[]
  /** The summary at the top of the form: every problem, each linking to its field. */
  summary: Array<{ field?: string, message: string }>
}

const EMPTY: FormState = { values: {}, errors: {}, problems: [], summary: [] }

/** A fresh form, optionally with values to show. */
export function blankForm (values: Record<string, unknown> = {}): FormState {
  return { ...EMPTY, values }
}

/** "中文说明 (English)" → "中文说明": the pages speak Chinese only. */
export function plainMessage (message: string): string {
  return message.replace(/\s*\([^()]*\)\s*$/, '')
}

/** What a person typed, without what must never be echoed (passwords, codes, the CSRF token). */
function keptValues (body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {}
  return Object.fromEntries(Object.entries(body).filter(([name]) => name !== CSRF_FIELD && !/password|code$/i.test(name)))
}

function issueMessage (issue: ValidationIssue, label: string): string {
  const limit = issue.params.limit
  switch (issue.keyword) {
    case 'required': return `请填写${label}`
    case 'minLength': return Number(limit) <= 1 ? `请填写${label}` : `${label}至少 ${String(limit)} 个字符`
    case 'maxLength': return `${label}最多 ${String(limit)} 个字符`
    case 'pattern': case 'format': return `${label}的格式不正确`
    case 'enum': case 'const': case 'anyOf': return `请选择${label}`
    case 'type': return issue.params.type === 'number' || issue.params.type === 'integer' ? `${label}须为数字` : `${label}的格式不正确`
    case 'minimum': case 'exclusiveMinimum': return `${label}不能小于 ${String(limit)}`
    case 'maximum': case 'exclusiveMaximum': return `${label}不能大于 ${String(limit)}`
    case 'maxItems': return `${label}最多选 ${String(limit)} 项`
    case 'uniqueItems': return `${label}有重复的选项`
    default: return `${label}的内容不正确`
  }
}

/** The field a problem concerns: 'body.contact' → 'contact'; for a required one, the missing property. */
function fieldOf (issue: ValidationIssue): string | undefined {
  const path = issue.instancePath.split('/').filter(Boolean)
  if (issue.keyword === 'required') path.push(String(issue.params.missingProperty))
  return path[0]
}

/** The state of a form with problems; `labels` gives the order of the fields on the form, which the summary follows. */
function stateOf (body: unknown, problems: Array<{ field: string | undefined, message: string }>, labels: Labels): FormState {
  const errors: Record<string, string> = {}
  const general: string[] = []
  const order = Object.keys(labels)
  const position = (field: string | undefined) => field === undefined ? -1 : order.indexOf(field) === -1 ? order.length : order.indexOf(field)
  for (const { field, message } of [...problems].sort((a, b) => position(a.field) - position(b.field))) {
    if (field && !(field in errors)) errors[field] = message
    else if (!field) general.push(message)
  }
  const summary = [...general.map(message => ({ message })), ...Object.entries(errors).map(([field, message]) => ({ field, message }))]
  return { values: keptValues(body), errors, problems: general, summary }
}

/** The schema's complaints about a posted form (route option `attachValidation: true`), or undefined. */
export function validationState (request: FastifyRequest, labels: Labels): FormState | undefined {
  const issues = (request.validationError as { validation?: ValidationIssue[] } | undefined)?.validation
  if (!issues) return undefined
  const problems = issues.map(issue => {
    const field = fieldOf(issue)
    if (issue.keyword === 'additionalProperties' || field === undefined || !(field in labels)) return { field: undefined, message: '表单含有无法识别的内容，请刷新页面后重试' }
    return { field, message: issueMessage(issue, labels[field] as string) }
  })
  return stateOf(request.body, problems, labels)
}

/**
 * A domain refusal as it concerns the form: 400, 401 for a wrong password, 409, 413, 415,
 * 423 and 429 are the person's to fix; anything else is not the form's business (undefined).
 */
export function refusalState (request: FastifyRequest, error: unknown, labels: Labels): FormState | undefined {
  if (!(error instanceof AppError) || ![400, 401, 409, 413, 415, 423, 429].includes(error.statusCode) || error.code === 'unauthenticated') return undefined
  const fielded = error.details.filter(detail => typeof detail.field === 'string' && detail.field.startsWith('body.'))
  const problems = fielded.length > 0
    ? fielded.map(detail => ({ field: (detail.field as string).split('.')[1], message: plainMessage(detail.message) }))
    : [{ field: undefined, message: plainMessage(error.message) }]
  return stateOf(request.body, problems, labels)
}

export interface FormPage {
  /** The template that shows the form, and what else it needs. */
  view: string
  data?: Record<string, unknown> | (() => Promise<Record<string, unknown>>)
  labels: Labels
  /** The name the template knows the form by, where a page holds several (default `form`). */
  as?: string
}

/**
 * Runs a form's action: shows the form again — with the errors beside their fields and the
 * input kept — when the schema or the domain refuses it, else whatever the action answers
 * (usually a redirect with a flash message). Other errors go to the error page.
 */
export async function submitForm (request: FastifyRequest, reply: FastifyReply, page: FormPage, action: () => Promise<unknown>): Promise<unknown> {
  const again = async (status: number, form: FormState) => {
    const data = typeof page.data === 'function' ? await page.data() : page.data
    return reply.status(status).page(page.view, { ...data, [page.as ?? 'form']: form })
  }
  const invalid = validationState(request, page.labels)
  if (invalid) return again(400, invalid)
  try {
    return await action()
  } catch (error) {
    await noteRefusal(request, error)
    const refused = refusalState(request, error, page.labels)
    if (!refused) throw error
    if (error instanceof AppError && error.statusCode === 429) {
      const wait = error.details.find(detail => detail.code === 'retry_after')?.retryAfter
      if (typeof wait === 'number') reply.header('retry-after', String(wait))
    }
    return again((error as AppError).statusCode, refused)
  }
}

/**
 * What was wrong with a page's address (route option `attachValidation: true`), each named by
 * its parameter — `page：须为数字` — for the page to show above its content while it uses the
 * defaults instead.
 */
export function queryProblems (request: FastifyRequest): Array<{ field: string, message: string }> {
  // (the page's own problems list, when it keeps one, is the page's: /wishes adds its paging limit to it)
  const error = request.validationError as { validation?: ValidationIssue[], validationContext?: string } | undefined
  if (!error?.validation || error.validationContext !== 'querystring') return []
  return error.validation.map(issue => {
    const field = fieldOf(issue) ?? String(issue.params.additionalProperty ?? '')
    return { field, message: issue.keyword === 'additionalProperties' ? '无法识别的参数' : issueMessage(issue, '取值') }
  })
}
