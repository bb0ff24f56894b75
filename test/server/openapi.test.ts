// The API document (/docs/json) as a client generator or an API gateway reads it: a valid
// OpenAPI document (checked by @apidevtools/swagger-parser, and each schema in it by Ajv as
// JSON Schema 2020-12, which OpenAPI 3.1 schemas are and which that validator leaves
// unchecked), in which every operation says what its success answers hold. Response schemas are also what Fastify serialises, so a
// body without one would leak whatever its domain function returns.
import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { testApp } from '../helpers/services.js'

type Schema = Record<string, unknown>

/** Keywords that say nothing about the values a schema accepts. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'example', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment'])

const isOpen = (schema: Schema) => Object.keys(schema).every(key => ANNOTATIONS.has(key))

/** Subschemas of a schema, with their place in it. */
function children (schema: Schema, at: string): Array<[string, Schema]> {
  const found: Array<[string, Schema]> = []
  const add = (value: unknown, place: string) => { if (value !== null && typeof value === 'object' && !Array.isArray(value)) found.push([place, value as Schema]) }
  for (const [name, value] of Object.entries(schema.properties as Record<string, unknown> ?? {})) add(value, `${at}.${name}`)
  for (const [pattern, value] of Object.entries(schema.patternProperties as Record<string, unknown> ?? {})) add(value, `${at}[${pattern}]`)
  add(schema.additionalProperties, `${at}[*]`)
  add(schema.items, `${at}[]`)
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) (schema[keyword] as unknown[] | undefined)?.forEach((value, i) => add(value, `${at}(${keyword} ${i})`))
  return found
}

/**
 * Where a response schema accepts anything without saying why: the body itself may never be
 * open; inside it, an open part (free-form JSON such as a decision trace's inputs) must carry
 * a description that says what it holds.
 */
function undocumentedOpenParts (schema: Schema, at = 'body'): string[] {
  if (at === 'body' && isOpen(schema)) return ['body']
  const here = at !== 'body' && isOpen(schema) && typeof schema.description !== 'string' ? [at] : []
  return [...here, ...children(schema, at).flatMap(([place, child]) => undocumentedOpenParts(child, place))]
}

t.test('the API document is valid OpenAPI, and every success answer has a real schema', async t => {
  const app = await testApp(t)
  const response = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(response.statusCode, 200)
  const document = response.json()
  t.equal(document.openapi, '3.1.0', 'OpenAPI 3.1: its schemas are JSON Schema, as the routes\' TypeBox schemas are')

  const problems: string[] = []
  let operations = 0
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations++
      const name = `${method.toUpperCase()} ${path}`
      const successes = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'))
      if (successes.length === 0) problems.push(`${name}: no success response`)
      for (const [status, answer] of successes) {
        // 204 No Content has, rightly, nothing to describe.
        if (status === '204') continue
        const media = Object.entries(answer.content ?? {})
        if (media.length === 0) problems.push(`${name} ${status}: no schema`)
        for (const [type, { schema }] of media) {
          if (!schema) problems.push(`${name} ${status} ${type}: no schema`)
          else problems.push(...undocumentedOpenParts(schema).map(part => `${name} ${status} ${type}: ${part} accepts anything`))
        }
      }
    }
  }
  t.ok(operations > 90, `${operations} operations in the document`)
  t.same(problems, [], 'every success answer has a schema that says what it holds')

  // The validator dereferences in place: give it a copy.
  await t.resolves(SwaggerParser.validate(structuredClone(document)), 'a standard validator accepts the document')
  const unsound = schemasIn(document.paths, '#/paths').flatMap(([at, schema]) => {
    try {
      jsonSchema().compile(schema)
      return []
    } catch (error) {
      return [`${at}: ${(error as Error).message}`]
    }
  })
  t.same(unsound, [], 'every schema in it is sound JSON Schema 2020-12')
})

/** Strict: an unknown keyword or format is an error, not ignored. OpenAPI adds a few keywords of its own. */
function jsonSchema (): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true })
  addFormats.default(ajv)
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs'])
  return ajv
}

/** Every `schema` of a parameter, request body or response, with where it is. */
function schemasIn (node: unknown, at: string): Array<[string, Schema]> {
  if (node === null || typeof node !== 'object') return []
  const own: Array<[string, Schema]> = 'schema' in node && node.schema !== null && typeof node.schema === 'object' ? [[at, node.schema as Schema]] : []
  return [...own, ...Object.entries(node).flatMap(([key, value]) => key === 'schema' ? [] : schemasIn(value, `${at}/${key}`))]
}

t.test('the check itself: open bodies and undocumented open parts are found, documented ones pass', async t => {
  t.same(undocumentedOpenParts({}), ['body'])
  t.same(undocumentedOpenParts({ description: 'anything' }), ['body'], 'a described body is still no schema')
  t.same(undocumentedOpenParts({ type: 'array', items: {} }), ['body[]'])
  t.same(undocumentedOpenParts({ type: 'object', properties: { trace: { type: 'array', items: { type: 'object', properties: { inputs: {} } } } } }), ['body.trace[].inputs'])
  t.same(undocumentedOpenParts({ type: 'object', patternProperties: { '^.*$': {} } }), ['body[^.*$]'])
  t.same(undocumentedOpenParts({ anyOf: [{ type: 'null' }, {}] }), ['body(anyOf 1)'])
  t.same(undocumentedOpenParts({ type: 'object', properties: { inputs: { description: 'the rule\'s inputs, as the engine read them' } } }), [])
  t.throws(() => jsonSchema().compile({ type: 'object', properties: { a: { type: 'bogus' } } }), 'an unsound schema is refused')
  t.throws(() => jsonSchema().compile({ type: 'string', format: 'no-such-format' }), 'so is an unknown format')
  t.same(schemasIn({ get: { parameters: [{ schema: { type: 'integer' } }], responses: { 200: { content: { 'application/json': { schema: { type: 'string' } } } } } } }, '#').map(([at]) => at),
    ['#/get/parameters/0', '#/get/responses/200/content/application/json'])
})
