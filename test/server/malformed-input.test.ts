// Every registered route — the API and the pages alike, read from app.routeRules with the
// schemas they validate — gets malformed input derived from its own schema: each field of the
// path, the query and the body in turn takes wrong types, out-of-range and non-finite numbers,
// numbers spelt in hex, exponent or with leading zeros, text with NUL or an unpaired surrogate,
// text beyond its length in Latin, Chinese and astral characters (and at its length, which
// must be accepted or refused cleanly), extra and prototype keys and deep nesting; each body
// also gets random JSON (fast-check, seeded). The answer must be a 4xx in the one error shape
// — for what the schema or the input rules refuse, a 400 naming the field — and never a 5xx
// or an internal message; the server answers normally afterwards. A route added later is
// walked like the others without anyone listing it here.
import t from 'tap'
import fc from 'fast-check'
import { gzipSync } from 'node:zlib'
import type { LightMyRequestResponse } from 'fastify'
import { appWithAccounts, signIn, type Session } from '../helpers/accounts.js'
import { PNG } from '../helpers/needs.js'
import { authorize, isAction } from '../../server/auth/policy.js'
import { createUser, findUserByUsername, principalOf } from '../../server/auth/users.js'
import { MAX_DEPTH } from '../../server/http/input.js'
import type { RouteRule } from '../../server/auth/plugin.js'

type Schema = Record<string, any>
type Part = 'params' | 'querystring' | 'body'

/** One malformed request: a part, the field it spoils (empty: the part as a whole), and what it must get. */
interface Case {
  label: string
  part: Part
  path: Array<string | number>
  /** The value to put there (text for params and the query) … */
  value?: unknown
  /** … or JSON text to put there in a body (1e400, which JSON.stringify cannot write). */
  raw?: string
  /** 'refused': a 400 naming the field (or another 4xx before validation); 'clean': anything but a 5xx. */
  expect: 'refused' | 'clean'
  /** Refused when the body is parsed, before any field is looked at: the answer names none. */
  unparsed?: true
}

const SEED = 22
/** Accounts whose rights cover every action (demo accounts); the first allowed one calls a route. */
const CALLERS = ['admin', 'mz-county', 'cszh', 'donor-person', 'training', 'auditor']
const NONEXISTENT_ID = '987654321'

// ---------- valid values, from a schema ----------

const KNOWN_FORMATS: Record<string, string> = { date: '2025-06-30', 'date-time': '2025-06-30T08:00:00Z', email: 'someone@example.cn', uri: 'https://example.cn/' }

function sampleMatching (pattern: string, minLength = 0, maxLength = Infinity): string {
  const candidates = fc.sample(fc.stringMatching(new RegExp(pattern)), { seed: SEED, numRuns: 50 })
  return candidates.find(c => [...c].length >= minLength && [...c].length <= maxLength) ?? candidates[0] ?? ''
}

/** A value the schema accepts (as far as a schema alone can tell), or undefined for "leave it out". */
function validValue (schema: Schema | undefined): unknown {
  if (!schema) return undefined
  if (schema.default !== undefined) return schema.default
  if (schema.const !== undefined) return schema.const
  if (Array.isArray(schema.enum)) return schema.enum[0]
  if (Array.isArray(schema.anyOf)) return validValue(schema.anyOf.find((s: Schema) => s.type !== 'null') ?? schema.anyOf[0])
  switch (schema.type) {
    case 'string':
      if (schema.format && KNOWN_FORMATS[schema.format]) return KNOWN_FORMATS[schema.format]
      if (schema.pattern) return sampleMatching(schema.pattern, schema.minLength, schema.maxLength)
      return '好'.repeat(Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 4, 4)))
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1)
      return Math.min(Math.max(low, 1), schema.maximum ?? Infinity)
    }
    case 'boolean': return false
    case 'null': return null
    case 'array': {
      const item = validValue(schema.items)
      const distinct = Array.isArray(schema.items?.enum) ? schema.items.enum : [item]
      return Array.from({ length: schema.minItems ?? 0 }, (_, i) => distinct[i % distinct.length])
    }
    case 'object': {
      const value: Record<string, unknown> = {}
      for (const name of schema.required ?? []) value[name] = validValue(schema.properties?.[name])
      const optional = Object.keys(schema.properties ?? {}).filter(name => !(schema.required ?? []).includes(name))
      for (const name of optional.slice(0, Math.max(0, (schema.minProperties ?? 0) - Object.keys(value).length))) value[name] = validValue(schema.properties[name])
      return value
    }
    default: return undefined
  }
}

// ---------- malformed values, from a schema ----------

const typesOf = (schema: Schema): Set<string> => {
  if (Array.isArray(schema.anyOf)) return new Set(schema.anyOf.flatMap((s: Schema) => [...typesOf(s)]))
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map((v: unknown) => v === null ? 'null' : typeof v))
  if (typeof schema.type === 'string') return new Set([schema.type === 'integer' ? 'integer' : schema.type])
  return new Set() // unconstrained
}
const number = (types: Set<string>) => types.has('number') || types.has('integer')

const deep = (levels: number): unknown => { let value: unknown = 'x'; for (let i = 0; i < levels; i++) value = [value]; return value }

/** JSON values that are the wrong type for a field of these types (none for an unconstrained field). */
function wrongTypes (types: Set<string>, schema: Schema): Array<[string, unknown]> {
  if (types.size === 0) return []
  const candidates: Array<[string, unknown, (ts: Set<string>) => boolean]> = [
    ['a number', 12345, ts => number(ts) && (schema.maximum === undefined || schema.maximum >= 12345)],
    [Array.isArray(schema.enum) ? 'a value outside the enum' : 'a string', 'text', ts => ts.has('string') && !Array.isArray(schema.enum)],
    ['a boolean', true, ts => ts.has('boolean')],
    ['null', null, ts => ts.has('null')],
    ['an object', { x: 1 }, ts => ts.has('object')],
    ['an array', ['x'], ts => ts.has('array')]
  ]
  return candidates.filter(([, , fits]) => !fits(types)).map(([label, value]) => [label, value])
}

/** The malformed values of one field, for JSON bodies (values) or text parts (strings). */
function fieldCases (part: Part, path: Array<string | number>, schema: Schema): Case[] {
  const types = typesOf(schema)
  const cases: Case[] = []
  const add = (label: string, value: unknown, expect: Case['expect']) => cases.push({ label, part, path, value, expect })
  const text = part !== 'body'
  if (!text) for (const [label, value] of wrongTypes(types, schema)) add(label.startsWith('a value outside') ? label : `${label} instead of ${[...types].join('|')}`, value, 'refused')

  if (types.has('string') || types.size === 0 || (text && !number(types) && !types.has('boolean'))) {
    add('text with NUL', 'a\u0000b', 'refused')
    if (!text) {
      add('an unpaired high surrogate', 'a\uD800b', 'refused')
      add('an unpaired low surrogate', 'a\uDC00', 'refused')
    }
    const max = schema.maxLength as number | undefined
    // Text that only a pattern, a format or a list of values admits: any other text is refused.
    const free = schema.pattern === undefined && schema.format === undefined && !Array.isArray(schema.enum) && schema.const === undefined
    if (max !== undefined) {
      add(`${max + 1} Latin letters (max ${max})`, 'a'.repeat(max + 1), 'refused')
      add(`${max + 1} Chinese characters (max ${max})`, '书'.repeat(max + 1), 'refused')
      add(`${max + 1} astral characters (max ${max})`, '😀'.repeat(max + 1), 'refused')
      add(`${max} Chinese characters (at the limit)`, '书'.repeat(max), free ? 'clean' : 'refused')
      add(`${max} astral characters (at the limit)`, '😀'.repeat(max), free ? 'clean' : 'refused')
    } else if (types.has('string')) {
      add('20,000 Chinese characters (no limit declared)', '书'.repeat(20_000), free ? 'clean' : 'refused')
    }
  }
  if (number(types)) {
    const integer = !types.has('number')
    if (text) {
      for (const spelling of ['0x10', '1e3', '00000000001', ' 1', 'Infinity', '-Infinity', 'NaN', '9'.repeat(400)]) add(`the number spelt ${JSON.stringify(spelling.slice(0, 12))}`, spelling, 'refused')
      if (integer) add('a fraction', '1.5', 'refused')
      add('a number beyond 2^53', '99999999999999999999', integer || schema.maximum !== undefined ? 'refused' : 'clean')
    } else {
      cases.push({ label: 'a number beyond the double range (Infinity once parsed)', part, path, raw: '1e400', expect: 'refused' })
      cases.push({ label: 'minus that', part, path, raw: '-1e400', expect: 'refused' })
      if (integer) add('a fraction', 1.5, 'refused')
      add('2^31, beyond a 32-bit column', 2 ** 31, schema.maximum !== undefined && schema.maximum < 2 ** 31 ? 'refused' : 'clean')
      if (!integer) add('1e13, beyond a numeric(14, 2) column', 1e13, schema.maximum !== undefined && schema.maximum < 1e13 ? 'refused' : 'clean')
      add('1e300', 1e300, integer || schema.maximum !== undefined ? 'refused' : 'clean')
      add('-1e300', -1e300, integer || schema.minimum !== undefined || schema.exclusiveMinimum !== undefined ? 'refused' : 'clean')
    }
    if (integer) add('2^53 + 2', text ? String(2 ** 53 + 2) : 2 ** 53 + 2, 'refused')
    if (schema.maximum !== undefined) add(`above the maximum ${schema.maximum}`, text ? String(schema.maximum + 1) : schema.maximum + 1, 'refused')
    if (schema.minimum !== undefined) add(`below the minimum ${schema.minimum}`, text ? String(schema.minimum - 1) : schema.minimum - 1, 'refused')
  }
  if (types.has('boolean') && text) add('a boolean spelt "maybe"', 'maybe', 'refused')
  if (!text && (types.has('object') || types.has('array') || types.size === 0)) {
    add(`nesting ${MAX_DEPTH + 8} deep`, deep(MAX_DEPTH + 8), types.size === 0 ? 'refused' : 'clean')
  }
  if (!text && types.has('object')) {
    // Prototype poisoning: Fastify's JSON parser refuses both keys outright.
    cases.push({ label: 'a __proto__ key inside', part, path, raw: '{"__proto__":{"admin":true}}', expect: 'refused', unparsed: true })
    cases.push({ label: 'a constructor.prototype key inside', part, path, value: { constructor: { prototype: { admin: true } } }, expect: 'refused', unparsed: true })
  }
  return cases
}

interface Field { path: Array<string | number>, schema: Schema, /** the schema of each container on the way */ parents: Schema[] }

const objectVariant = (schema: Schema) => schema.type === 'object' ? schema : schema.anyOf?.find((s: Schema) => s.type === 'object')
const arrayVariant = (schema: Schema) => schema.type === 'array' ? schema : schema.anyOf?.find((s: Schema) => s.type === 'array')

/** Every field of a schema with its path, down to a few levels (array items as index 0). */
function fieldsOf (schema: Schema | undefined, path: Array<string | number> = [], parents: Schema[] = []): Field[] {
  if (!schema || parents.length > 3) return []
  const found: Field[] = []
  const object = objectVariant(schema)
  for (const [name, inner] of Object.entries<Schema>(object?.properties ?? {})) {
    found.push({ path: [...path, name], schema: inner, parents: [...parents, object] }, ...fieldsOf(inner, [...path, name], [...parents, object]))
  }
  const array = arrayVariant(schema)
  if (array?.items) found.push({ path: [...path, 0], schema: array.items, parents: [...parents, array] }, ...fieldsOf(array.items, [...path, 0], [...parents, array]))
  return found
}

/** The base value with every container on the way to the field present and valid (an optional object, an array's first item). */
function withContainers (base: unknown, field: Field): unknown {
  let value = base
  for (let depth = 1; depth < field.path.length; depth++) {
    const prefix = field.path.slice(0, depth)
    if (getIn(value, prefix) === undefined || getIn(value, prefix) === null) {
      const container = field.parents[depth]!
      const filled = container.type === 'array' ? [validValue(container.items)] : validValue(container)
      value = setIn(value, prefix, filled)
    }
  }
  return value
}

const getIn = (value: unknown, path: Array<string | number>): unknown =>
  path.reduce<unknown>((inner, key) => inner === null || typeof inner !== 'object' ? undefined : (inner as Record<string | number, unknown>)[key], value)

// ---------- sending ----------

const setIn = (target: unknown, path: Array<string | number>, value: unknown): unknown => {
  if (path.length === 0) return value
  const [head, ...rest] = path
  const container = (Array.isArray(target) ? [...target] : typeof target === 'object' && target !== null ? { ...target } : typeof head === 'number' ? [] : {}) as Record<string | number, unknown>
  container[head!] = setIn(container[head!], rest, value)
  return container
}

/** JSON text of the body with `raw` (e.g. 1e400, which JSON.stringify cannot write) at the path. */
function bodyText (base: unknown, path: Array<string | number>, raw: string): string {
  return JSON.stringify(setIn(base, path, '__RAW_MARKER__')).replace('"__RAW_MARKER__"', raw)
}

/** Percent-encodes text for a URL; NUL is kept as %00 (what an attacker sends). */
const encode = (text: string) => encodeURIComponent(text)

function urlOf (route: RouteRule, params: Record<string, string>, query: Record<string, string>): string {
  const path = route.url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? NONEXISTENT_ID)
  const search = Object.entries(query).map(([k, v]) => `${encode(k)}=${v}`).join('&')
  return search ? `${path}?${search}` : path
}

/** A flat body as an HTML form sends it. */
const formOf = (body: unknown) => ({
  text: new URLSearchParams(Object.entries(body ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString(),
  type: 'application/x-www-form-urlencoded'
})

const fieldName = (part: Part, path: Array<string | number>) => [part, ...path].join('.')

interface Verdict { ok: boolean, why?: string }

const INTERNAL = /internal_error|syntax error|violates|relation "|column "|stack|at \w+ \(|node_modules|\.ts:\d+/i

function judge (response: LightMyRequestResponse, expect: Case['expect'], field: string | undefined): Verdict {
  const status = response.statusCode
  if (status >= 500) return { ok: false, why: `${status}: ${response.body.slice(0, 200)}` }
  const json = String(response.headers['content-type'] ?? '').startsWith('application/json')
  if (status >= 400 && json) {
    let body: { error?: { code?: unknown, message?: unknown, details?: unknown } }
    try { body = response.json() } catch { return { ok: false, why: `${status} with a body that is not JSON` } }
    const error = body.error
    if (typeof error?.code !== 'string' || typeof error.message !== 'string' || !Array.isArray(error.details)) return { ok: false, why: `${status} not in the error shape: ${response.body.slice(0, 200)}` }
    if (INTERNAL.test(error.message) || INTERNAL.test(JSON.stringify(error.details))) return { ok: false, why: `internal detail in the answer: ${response.body.slice(0, 200)}` }
  }
  if (expect === 'refused') {
    // A page answers in HTML: a refusal (a form shown again with its errors, "not found" for a
    // bad id), or the page listing the problem (by the field's name) and showing the defaults
    // instead; the API must refuse.
    if (!json && status >= 400 && status < 500) return { ok: true }
    if (!json && status === 200) {
      const name = field?.split('.').pop()
      return name === undefined || response.body.includes(`${name}：`) ? { ok: true } : { ok: false, why: `page shown without naming ${name}` }
    }
    if (status < 400) return { ok: false, why: `accepted (${status}): ${response.body.slice(0, 200)}` }
    const error = response.json().error as { code: string, details: Array<{ field?: string }> }
    // A spoiled field is refused by validation, naming it — before the route does anything with
    // it — unless the request was too large to read at all.
    const named = status === 400 && error.code === 'validation_failed' && error.details.some(d => d.field === field || d.field?.startsWith(`${field}.`))
    if (field && !named && status !== 413 && status !== 414) return { ok: false, why: `${status} without naming ${field}: ${response.body.slice(0, 300)}` }
  }
  // The rest of the request is valid: a refusal names only the spoiled field (its parts, or the
  // object holding it), or the case would prove nothing about that field. (Each field has such
  // a case, so this also proves the request the "clean" cases start from is valid.)
  if (expect === 'refused' && field && status === 400 && json) {
    const { code, details } = response.json().error as { code: string, details: Array<{ field?: string }> }
    const related = (other: string | undefined) => other !== undefined && (other === field || other.startsWith(`${field}.`) || field.startsWith(`${other}.`))
    if (code === 'validation_failed' && !details.every(d => related(d.field))) return { ok: false, why: `another field refused too: ${JSON.stringify(details).slice(0, 300)}` }
  }
  return { ok: true }
}

// ---------- the walk ----------

t.test('every route refuses malformed input with a 4xx in the error shape, never a 5xx', async t => {
  const app = await appWithAccounts(t)
  await app.ready()
  const principals = await Promise.all(CALLERS.map(async name => ({ name, principal: principalOf((await findUserByUsername(app.db, name))!) })))
  const sessions = new Map<string, Session>()
  const sessionAs = async (name: string) => sessions.get(name) ?? sessions.set(name, await signIn(app, name)).get(name)!
  let throwaway = 0
  /** Who calls a route: nobody for public routes; a throwaway account for "signed_in" ones (sign-out, password); else the first allowed. */
  const callerFor = async (route: RouteRule): Promise<Session | null | undefined> => {
    if (route.access === 'public') return null
    if (route.access === 'signed_in') {
      const username = `fuzz-${++throwaway}`
      await createUser(app.db, { username, password: 'fuzz-password-22', displayName: username, roles: ['auditor'], regionCode: '330503' })
      return signIn(app, username, 'fuzz-password-22')
    }
    const allowed = route.access !== undefined && isAction(route.access) ? principals.find(p => authorize(p.principal, route.access as never)) : undefined
    return allowed ? sessionAs(allowed.name) : undefined
  }
  let address = 0
  const send = (route: RouteRule, caller: Session | null, url: string, payload?: { text: string | Buffer, type: string, encoding?: string }) => {
    const options = {
      method: route.method as 'GET',
      url,
      // Public posts (sign-in, registration) are throttled per address: each case comes from its own.
      remoteAddress: `10.22.${(++address >> 8) & 255}.${address & 255}`,
      ...(payload ? { payload: payload.text, headers: { 'content-type': payload.type, ...(payload.encoding ? { 'content-encoding': payload.encoding } : {}) } } : {})
    }
    return caller ? caller.call(options) : app.inject(options)
  }

  const routes = app.routeRules.filter(rule => rule.method !== 'HEAD' && !rule.url.startsWith('/docs'))
  const documented = Object.entries((app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths)
    .flatMap(([path, operations]) => Object.keys(operations).map(method => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
  const walked = new Set(routes.map(r => `${r.method} ${r.url}`))
  t.same(documented.filter(op => !walked.has(op) && !op.includes('/docs')), [], 'every operation of the OpenAPI document is walked')
  t.ok(routes.some(r => r.schema?.hide) && routes.some(r => r.url === '/wishes/:id'), 'pages are walked too')

  let requests = 0
  for (const route of routes) {
    const caller = await callerFor(route)
    if (caller === undefined) { t.fail(`${route.method} ${route.url}: no account may call it (access ${route.access})`); continue }
    const schema = (route.schema ?? {}) as Schema
    const pathNames = [...route.url.matchAll(/:(\w+)/g)].map(m => m[1]!)
    t.same(pathNames.filter(name => !schema.params?.properties?.[name]), [], `${route.method} ${route.url}: every path parameter has a schema`)

    const baseParams = Object.fromEntries(pathNames.map(name => {
      const property = schema.params?.properties?.[name] as Schema | undefined
      return [name, property && number(typesOf(property)) ? NONEXISTENT_ID : encode(String(validValue(property) ?? 'x'))]
    }))
    const baseQuery = validValue(schema.querystring) as Record<string, unknown> | undefined ?? {}
    const encodedQuery = (query: Record<string, unknown>) => Object.fromEntries(Object.entries(query).map(([k, v]) => [k, encode(String(v))]))
    const baseBody = schema.body ? validValue(schema.body) : undefined
    const hasBody = !['GET', 'DELETE'].includes(route.method)
    // Uploads take the file as the body (no body schema); the query is what they validate.
    let upload: { text: Buffer, type: string } | undefined
    if (hasBody && !schema.body) {
      for (const candidate of [{ text: Buffer.from('{}'), type: 'application/json' }, { text: PNG, type: 'image/png' }, { text: Buffer.from('户编号,姓名\n'), type: 'text/csv' }]) {
        const probe = await send(route, caller, urlOf(route, baseParams, encodedQuery(baseQuery)), candidate)
        if (probe.statusCode !== 415) { upload = candidate; break }
      }
    }
    const jsonBody = (text: string) => ({ text, type: 'application/json' })
    const basePayload = () => schema.body ? jsonBody(JSON.stringify(baseBody ?? {})) : upload

    const failures: string[] = []
    const attempt = async (label: string, url: string, payload: { text: string | Buffer, type: string, encoding?: string } | undefined, expect: Case['expect'], field?: string) => {
      requests++
      const response = await send(route, caller, url, payload)
      const verdict = judge(response, expect, field)
      if (!verdict.ok) failures.push(`${label}: ${verdict.why}`)
    }

    // The path: bad ids and other bad segments.
    for (const name of pathNames) {
      const property = schema.params?.properties?.[name] as Schema | undefined
      const cases = fieldCases('params', [name], property ?? {}).filter(c => typeof c.value === 'string')
      if (property && number(typesOf(property))) cases.push({ label: 'a negative id', part: 'params', path: [name], value: '-1', expect: 'refused' }, { label: 'zero', part: 'params', path: [name], value: '0', expect: 'refused' })
      for (const c of cases) {
        const value = c.value as string
        await attempt(`params.${name} = ${c.label}`, urlOf(route, { ...baseParams, [name]: value.includes('\u0000') ? value.split('\u0000').map(encode).join('%00') : encode(value) }, encodedQuery(baseQuery)), basePayload(), c.expect, `params.${name}`)
      }
      await attempt(`params.${name} = invalid UTF-8 bytes`, urlOf(route, { ...baseParams, [name]: '%ED%A0%80' }, encodedQuery(baseQuery)), basePayload(), 'refused')
    }

    // The query: each declared parameter, and an undeclared one.
    for (const { path, schema: field } of fieldsOf(schema.querystring).filter(f => f.path.length === 1)) {
      for (const c of fieldCases('querystring', path, field)) {
        const value = c.value as string
        const encoded = value.includes('\u0000') ? value.split('\u0000').map(encode).join('%00') : encode(value)
        await attempt(`querystring.${path[0]} = ${c.label}`, urlOf(route, baseParams, { ...encodedQuery(baseQuery), [String(path[0])]: encoded }), basePayload(), c.expect, `querystring.${path[0]}`)
      }
      await attempt(`querystring.${path[0]} = invalid UTF-8 bytes`, urlOf(route, baseParams, { ...encodedQuery(baseQuery), [String(path[0])]: '%ED%A0%80' }), basePayload(), 'clean')
    }
    await attempt('an undeclared query parameter with NUL', urlOf(route, baseParams, { ...encodedQuery(baseQuery), 'x%00y': 'a%00b' }), basePayload(), 'clean')

    // The body: each field, then the body as a whole.
    const url = urlOf(route, baseParams, encodedQuery(baseQuery))
    if (schema.body) {
      for (const spoiled of fieldsOf(schema.body)) {
        const { path, schema: field } = spoiled
        // A field inside an array or an optional object is reached through a valid container.
        const around = withContainers(baseBody, spoiled)
        for (const c of fieldCases('body', path, field)) {
          const text = c.raw !== undefined ? bodyText(around, path, c.raw) : JSON.stringify(setIn(around, path, c.value))
          await attempt(`body.${path.join('.')} = ${c.label}`, url, jsonBody(text), c.expect, c.unparsed ? undefined : fieldName('body', path))
        }
        const formable = Object.values(baseBody as object ?? {}).every(v => typeof v === 'string')
        if (field.type === 'string' && path.length === 1 && formable && (await send(route, caller, url, formOf(baseBody))).statusCode !== 415) {
          // The same field sent from an HTML form.
          await attempt(`form field ${path[0]} with NUL`, url, formOf({ ...(baseBody as object), [path[0]!]: 'a\u0000b' }), 'refused', fieldName('body', path))
        }
      }
      if (schema.body.additionalProperties === false) await attempt('an undeclared body field', url, jsonBody(JSON.stringify({ ...(baseBody as object), undeclaredField: 1 })), 'refused', 'body.undeclaredField')
      for (const [label, text] of [['an array body', '[]'], ['a string body', '"text"'], ['a number body', '12'], ['a null body', 'null'], ['broken JSON', '{"a":'], ['a __proto__ key', '{"__proto__":{"admin":true}}'], ['nesting 5,000 deep', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`]] as const) {
        await attempt(label, url, jsonBody(text), 'refused')
      }
      for (const [i, value] of fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed: SEED, numRuns: 10 }).entries()) {
        await attempt(`random JSON body #${i} ${JSON.stringify(value).slice(0, 60)}`, url, jsonBody(JSON.stringify(value)), 'clean')
      }
    }
    if (hasBody) {
      const plain = basePayload() ?? jsonBody('{}')
      await attempt('a gzip Content-Encoding', url, { text: gzipSync(plain.text), type: plain.type, encoding: 'gzip' }, 'refused')
      await attempt('an unknown Content-Encoding on a plain body', url, { ...plain, encoding: 'x-custom' }, 'refused')
    }
    t.same(failures, [], `${route.method} ${route.url}`)
  }
  t.ok(requests > 3000, `${requests} malformed requests sent`)

  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'still alive')
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200, 'still ready')
  const admin = await signIn(app, 'admin')
  t.equal((await admin.call({ method: 'GET', url: '/api/v1/regions' })).statusCode, 200, 'still answers a normal request')
})
