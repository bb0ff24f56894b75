// Page forms whose API schema nests — a household's members and rigid expenses, a batch of
// proposals — name their fields by path (members.0.name, rigidExpenses.medical) and are made
// into the API's shape before validation, so that the route validates the API's own schema.
// Rows a form offers but the person left empty send nothing (empty fields count as absent)
// and vanish; the rows that remain are numbered again in order, and the form is shown again
// from the nested body, so an error at members.1 is beside the second member shown.
import type { FastifyRequest } from 'fastify'

/** Path segments that must never become keys (prototype pollution). */
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])
/** Rows a form may send of one list; more is not a form of ours. */
const MAX_INDEX = 200

type Tree = Record<string, unknown>

const isTree = (value: unknown): value is Tree => value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)

/** An object whose keys are all row numbers becomes the list of its rows, in order. */
function listsOf (value: unknown): unknown {
  if (!isTree(value)) return value
  const keys = Object.keys(value)
  const rows = keys.length > 0 && keys.every(key => /^(0|[1-9][0-9]{0,2})$/.test(key) && Number(key) <= MAX_INDEX)
  if (rows) return keys.map(Number).sort((a, b) => a - b).map(key => listsOf(value[String(key)]))
  return Object.fromEntries(keys.map(key => [key, listsOf(value[key])]))
}

/**
 * `{ 'members.0.name': '张三', 'rigidExpenses.medical': '0', hardships: [...] }` →
 * `{ members: [{ name: '张三' }], rigidExpenses: { medical: '0' }, hardships: [...] }`. Keys
 * without a dot are kept as they are; a dotted key that cannot be placed (an unsafe segment,
 * or a path through a value) is kept flat, for the schema to refuse as unknown.
 */
export function unflatten (body: Tree): Tree {
  const tree: Tree = {}
  const flat: Array<[string, unknown]> = []
  for (const [key, value] of Object.entries(body)) {
    if (!key.includes('.')) { flat.push([key, value]); continue }
    const path = key.split('.')
    if (path.some(segment => segment === '' || UNSAFE.has(segment))) { flat.push([key, value]); continue }
    let node = tree
    let placed = true
    for (const segment of path.slice(0, -1)) {
      const next = Object.hasOwn(node, segment) ? node[segment] : (node[segment] = {})
      if (!isTree(next)) { placed = false; break }
      node = next
    }
    const last = path[path.length - 1] as string
    if (placed && !Object.hasOwn(node, last)) node[last] = value
    else flat.push([key, value])
  }
  const nested = listsOf(tree) as Tree
  for (const [key, value] of flat) if (!Object.hasOwn(nested, key)) nested[key] = value
  return nested
}

/** A route's preValidation hook: the posted form in the API's shape. */
export async function nestedForm (request: FastifyRequest): Promise<void> {
  if (isTree(request.body)) request.body = unflatten(request.body)
}

/** The rows of a list in a nested form body that carry one of the fields (the others were left blank). */
export function rowsWith (body: unknown, list: string, fields: readonly string[]): void {
  if (!isTree(body) || !Array.isArray(body[list])) return
  const kept = (body[list] as unknown[]).filter(row => isTree(row) && fields.some(field => row[field] !== undefined))
  if (kept.length > 0) body[list] = kept
  else delete body[list]
}
