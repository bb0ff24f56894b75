// Passwords: scrypt (memory-hard, node:crypto) with the cost parameters stored next to the
// hash, so the cost can be raised later without invalidating existing passwords.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const KEY_BYTES = 32
const SALT_BYTES = 16
/** N = 2^15, r = 8: 32 MiB per hash, tens of milliseconds on a server core. */
const DEFAULT_COST = { log2N: 15, r: 8, p: 1 }

export const MIN_PASSWORD_LENGTH = 10
const MAX_PASSWORD_LENGTH = 200
const COMMON_PASSWORDS = new Set(['1234567890', '0123456789', 'qwertyuiop', 'password12', 'password123', 'abcdefghij', 'a123456789', '1qaz2wsx3edc', 'iloveyou12'])

function derive (password: string, salt: Buffer, cost: typeof DEFAULT_COST): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** cost.log2N, r: cost.r, p: cost.p, maxmem: 256 * 2 ** cost.log2N * cost.r }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) => error ? reject(error) : resolve(key))
  })
}

export async function hashPassword (password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, cost)
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword (password: string, stored: string): Promise<boolean> {
  const [scheme, log2N, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'), { log2N: Number(log2N), r: Number(r), p: Number(p) })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * A hash of a random password: checked when the username does not exist, so that a wrong
 * username and a wrong password take the same time and cannot be told apart.
 */
export const decoyHash = hashPassword(randomBytes(16).toString('hex'))

/** The minimum policy; returns the problems in Chinese (empty when the password is acceptable). */
export function passwordProblems (password: string, username: string): string[] {
  const problems: string[] = []
  const length = Array.from(password).length
  if (length < MIN_PASSWORD_LENGTH) problems.push(`密码至少 ${MIN_PASSWORD_LENGTH} 个字符`)
  if (length > MAX_PASSWORD_LENGTH) problems.push(`密码最多 ${MAX_PASSWORD_LENGTH} 个字符`)
  if (new Set(password).size < 4) problems.push('密码过于简单（重复字符太多）')
  if (COMMON_PASSWORDS.has(password.toLowerCase())) problems.push('密码过于常见')
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) problems.push('密码不能包含用户名')
  return problems
}
