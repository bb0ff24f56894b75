// Rules every request part passes before a route sees it, whatever its schema says, so that
// a new route inherits them without anyone remembering to:
//   - text holds no NUL and no unpaired surrogate (PostgreSQL refuses NUL; an unpaired
//     surrogate cannot be written as UTF-8 and would be stored as U+FFFD), in values and keys;
//   - structures nest at most MAX_DEPTH deep;
//   - numbers in the path, the query or headers are written in decimal — Ajv's coercion reads
//     `0x10` as 16, `1e3` as 1000, `00000000001` as 1, ` 1` as 1 and `-Infinity` as a number;
//   - every number is finite, and an integer is exact (within ±(2^53 − 1)) unless its schema
//     bounds it more tightly: a schema field stored in a narrower column says so itself.
// Lengths (minLength, maxLength) count characters — code points — whatever the script: a
// Chinese character or an emoji is one, as a Latin letter is (Ajv's `unicode` option).
// Each failure is reported like a schema failure: a 400 naming the field, or, on a page
// route with attachValidation, in request.validationError for the page to show.
import AjvCompiler from '@fastify/ajv-compiler'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { AppError } from './errors.js'
import { isPagePath } from './paths.js'

type Compilers = ReturnType<typeof AjvCompiler>
type CompilerOptions = Parameters<Compilers>[1]

export const MAX_DEPTH = 32

export interface InputIssue {
  instancePath: string
  schemaPath: string
  keyword: string
  params: Record<string, unknown>
  message: string
}

type Schema = Record<string, unknown>
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown[] | null, schemaEnv?: unknown }

/** Parts that arrive as text and are coerced to the schema's types. */
const TEXT_PARTS = new Set(['params', 'querystring', 'headers'])

const INTEGER_TEXT = /^-?(0|[1-9][0-9]*)$/
const NUMBER_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/
// A lone high surrogate (not followed by a low one), a lone low one (not preceded by a high one), or NUL.
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const pointer = (path: string, key: string | number) => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`
const issue = (instancePath: string, keyword: string, message: string, params: Record<string, unknown> = {}): InputIssue =>
  ({ instancePath, schemaPath: `#/${keyword}`, keyword, params, message })

/** NUL, unpaired surrogates and excessive nesting anywhere in the data; walked without recursion. */
export function textIssues (data: unknown): InputIssue[] {
  const found: InputIssue[] = []
  const stack: Array<{ value: unknown, path: string, depth: number }> = [{ value: data, path: '', depth: 0 }]
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!
    if (typeof value === 'string') {
      if (BAD_TEXT.test(value)) found.push(issue(path, 'text', 'must not contain NUL or unpaired surrogate characters'))
      continue
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue
    if (depth >= MAX_DEPTH) {
      found.push(issue(path, 'depth', `must not nest more than ${MAX_DEPTH} levels deep`, { limit: MAX_DEPTH }))
      continue
    }
    for (const [key, inner] of Object.entries(value)) {
      // A bad key is named by a sanitised spelling: the error must not carry what it refuses.
      if (BAD_TEXT.test(key)) found.push(issue(pointer(path, key.replace(new RegExp(BAD_TEXT, 'g'), '\uFFFD')), 'text', 'property name must not contain NUL or unpaired surrogate characters'))
      else stack.push({ value: inner, path: pointer(path, key), depth: depth + 1 })
    }
  }
  return found
}

function numericType (schema: unknown): 'integer' | 'number' | undefined {
  const type = (schema as Schema | undefined)?.type
  return type === 'integer' || type === 'number' ? type : undefined
}

/** Numbers of a text part (path, query, headers) that are not plain decimals, before Ajv coerces them. */
function numberTextIssues (schema: Schema, data: unknown): InputIssue[] {
  const properties = schema.properties as Record<string, Schema> | undefined
  if (!properties || data === null || typeof data !== 'object') return []
  const found: InputIssue[] = []
  for (const [name, property] of Object.entries(properties)) {
    const value = (data as Record<string, unknown>)[name]
    const itemType = property.type === 'array' ? numericType(property.items) : undefined
    const type = numericType(property) ?? itemType
    if (type === undefined || value === undefined) continue
    const texts = Array.isArray(value) ? value.map((v, i) => [v, pointer(`/${name}`, i)] as const) : [[value, `/${name}`] as const]
    for (const [text, path] of texts) {
      if (typeof text !== 'string') continue
      const plain = (type === 'integer' ? INTEGER_TEXT : NUMBER_TEXT).test(text)
      if (!plain || !Number.isFinite(Number(text))) {
        found.push(issue(path, 'decimal', type === 'integer' ? 'must be an integer written in decimal digits' : 'must be a finite number written in decimal digits'))
      }
    }
  }
  return found
}

const SUBSCHEMA_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']
const SUBSCHEMA_LIST_KEYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems']
const SUBSCHEMA_MAP_KEYS = ['properties', 'patternProperties']

/** A copy of the schema in which every integer is bounded to the exact range unless it says more. */
function exactIntegers (schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(exactIntegers)
  if (schema === null || typeof schema !== 'object') return schema
  const copy: Schema = { ...(schema as Schema) }
  for (const key of SUBSCHEMA_KEYS) if (key in copy) copy[key] = exactIntegers(copy[key])
  for (const key of SUBSCHEMA_LIST_KEYS) if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map(exactIntegers)
  for (const key of SUBSCHEMA_MAP_KEYS) {
    if (copy[key] && typeof copy[key] === 'object') copy[key] = Object.fromEntries(Object.entries(copy[key] as Schema).map(([k, v]) => [k, exactIntegers(v)]))
  }
  if (copy.type === 'integer') {
    copy.maximum ??= Number.MAX_SAFE_INTEGER
    copy.minimum ??= -Number.MAX_SAFE_INTEGER
  }
  return copy
}

/**
 * The validator compilers: Ajv as configured (querystrings, params and headers coerced from
 * text; API bodies taken as sent, so `null` or `"54000"` for a number is an error, not 0 or
 * 54000; page forms post text, so their bodies are coerced like querystrings and a form shares
 * the API's schema), each wrapped with the rules above. Ajv's own `strictNumbers` refuses NaN
 * and Infinity that JSON parsing produced.
 */
export function inputValidators (): Compilers {
  const ajv = AjvCompiler()
  return ((externalSchemas: Parameters<Compilers>[0], options: CompilerOptions) => {
    const coercing = ajv(externalSchemas, options)
    const exact = ajv(externalSchemas, { ...options, customOptions: { ...options?.customOptions, coerceTypes: false } } as CompilerOptions)
    return (route: { schema: Schema, httpPart?: string, method?: string, url?: string }) => {
      const textPart = TEXT_PARTS.has(route.httpPart ?? '') || (route.httpPart === 'body' && isPagePath(route.url ?? '/api/'))
      const validate = (textPart ? coercing : exact)({ ...route, schema: exactIntegers(route.schema) as Schema } as never) as Validate
      const wrapped: Validate = (data, context) => {
        const before = [...textIssues(data), ...(textPart ? numberTextIssues(route.schema, data) : [])]
        const valid = validate(data, context)
        // A field already refused for its spelling is not also reported for what Ajv made of it.
        const named = new Set(before.map(i => i.instancePath))
        const errors = [...before, ...((validate.errors ?? []) as InputIssue[]).filter(e => !named.has(e.instancePath))]
        wrapped.errors = errors.length > 0 ? errors : null
        return valid === true && before.length === 0
      }
      wrapped.schemaEnv = validate.schemaEnv
      return wrapped
    }
  }) as Compilers
}

/**
 * Bodies are read as sent: nothing here decodes gzip or any other Content-Encoding, so a body
 * that declares one is refused (415) rather than read as if it were plain.
 */
export const contentEncoding = fp(async function contentEncoding (app: FastifyInstance) {
  app.addHook('onRequest', async request => {
    const encoding = request.headers['content-encoding']
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      throw new AppError(415, 'unsupported_content_encoding', `不支持的内容编码：请发送未压缩的请求体 (Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not accepted)`)
    }
  })
})
