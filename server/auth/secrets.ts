// Random bearer secrets (session cookies, API tokens, contact codes) and the hash under
// which they are stored: a copy of the database never holds a usable secret.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

export function newSecret (bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

export function secretHash (secret: string): Buffer {
  return createHash('sha256').update(secret).digest()
}

/** A six-digit code for contact verification. */
export function newNumericCode (): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0')
}

export function sameSecret (given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
