// Fields of the larger workbench forms (a household and its members) described in one place:
// each field's name — its path in the API's body, members.0.idNumber — its label, its kind and
// choices; `fieldsOf` gives the template what it shows (value kept, error beside it). The
// labels double as the error messages' names (forms.ts), per row: 第2位成员的身份证号.
import type { FormState, Labels } from './forms.js'

export interface FieldSpec {
  /** The path in the body: annualIncome, rigidExpenses.medical, members.0.name. */
  name: string
  label: string
  type?: 'text' | 'date' | 'tel' | 'hidden'
  hint?: string
  inputmode?: 'numeric' | 'decimal' | 'tel'
  maxlength?: number
  /** A select: its choices (code → words); `blank` is the words of the empty choice, if offered. */
  choices?: Record<string, string>
  blank?: string
  textarea?: boolean
}

export interface Field extends FieldSpec {
  id: string
  value: string
  error: string | undefined
  options?: Array<{ value: string, name: string, selected: boolean }>
}

/** The value at a dotted path of a nested body. */
export function valueAt (values: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((inner, key) => inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[key] : undefined, values)
}

export function fieldOf (form: FormState, spec: FieldSpec): Field {
  const raw = valueAt(form.values, spec.name)
  const value = raw === undefined || raw === null ? '' : String(raw)
  return {
    ...spec,
    id: spec.name,
    value,
    error: form.errors[spec.name],
    ...(spec.choices ? { options: [...(spec.blank !== undefined ? [{ value: '', name: spec.blank, selected: value === '' }] : []), ...Object.entries(spec.choices).map(([code, name]) => ({ value: code, name, selected: value === code }))] } : {})
  }
}

/** Fields by their path after `prefix`, dots as underscores, for templates: fields.name, fields.disability_level, fields.rigidExpenses_medical. */
export function fieldsOf (form: FormState, specs: readonly FieldSpec[], prefix = ''): Record<string, Field> {
  return Object.fromEntries(specs.map(spec => [spec.name.slice(prefix.length).replaceAll('.', '_'), fieldOf(form, spec)]))
}

/** The rows of a list on a form: as many as were posted (or given), and at least `least`. */
export function listRows (form: FormState, list: string, specs: readonly FieldSpec[], least: number) {
  const posted = valueAt(form.values, list)
  const count = Math.max(least, Array.isArray(posted) ? posted.length : 0)
  return Array.from({ length: count }, (_, index) => ({ index, number: index + 1, fields: fieldsOf(form, rowSpecs(list, index, specs), `${list}.${index}.`) }))
}

/** Row `index` of a list's fields: the specs of one row with `*` replaced by the row. */
export function rowSpecs (list: string, index: number, specs: readonly FieldSpec[]): FieldSpec[] {
  return specs.map(spec => ({ ...spec, name: `${list}.${index}.${spec.name}` }))
}

/** The labels of a form for error messages: plain fields, and per list row ('members.*.name' → '第{n}位成员的姓名'). */
export function labelsOf (plain: readonly FieldSpec[], lists: Record<string, { label: string, row: string, specs: readonly FieldSpec[] }> = {}): Labels {
  const labels: Labels = Object.fromEntries(plain.map(spec => [spec.name, spec.label.replace(/（.*）$/, '')]))
  for (const [list, { label, row, specs }] of Object.entries(lists)) {
    labels[list] = label
    labels[`${list}.*`] = row
    for (const spec of specs) labels[`${list}.*.${spec.name}`] = `${row}的${spec.label.replace(/（.*）$/, '')}`
  }
  return labels
}
