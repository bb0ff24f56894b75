// Where a cookie-session request carries its CSRF token: a header for scripts, a field for forms.
import { Type, type TProperties } from 'typebox'

export const CSRF_HEADER = 'x-csrf-token'
export const CSRF_FIELD = '_csrf'

/** An object body that a form may post too: the schema's fields, and the form's CSRF token. */
export function formBody<T extends TProperties> (properties: T) {
  return Type.Object({ ...properties, [CSRF_FIELD]: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })
}
