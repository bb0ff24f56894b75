// Personal data at rest: names, ID numbers, addresses and phones are encrypted with
// AES-256-GCM (key from PII_ENCRYPTION_KEY); ID numbers also get a keyed blind index
// (HMAC-SHA256 with BLIND_INDEX_KEY) so an exact lookup and the 一人一次 uniqueness check
// work without decrypting anything.
import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto'

const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * IVs come from a pool of random bytes refilled from the CSPRNG 4,096 IVs at a time: one call
 * into OpenSSL per value cost a roster import more than the encryption itself. Each IV is
 * still random and used once.
 */
const ivPool = Buffer.alloc(IV_BYTES * 4096)
let ivOffset = ivPool.length

function nextIv (): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool)
    ivOffset = 0
  }
  // A copy: the pool is overwritten at the next refill, the sealed value keeps its IV.
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + IV_BYTES))
  ivOffset += IV_BYTES
  return iv
}

export interface PiiKeys {
  piiEncryptionKey: Buffer
  blindIndexKey: Buffer
}

export function encrypt (keys: PiiKeys, plain: string): Buffer {
  const iv = nextIv()
  const cipher = createCipheriv('aes-256-gcm', keys.piiEncryptionKey, iv)
  // GCM is a stream mode: update() returns all of it and final() nothing but the tag.
  const body = cipher.update(plain, 'utf8')
  cipher.final()
  return Buffer.concat([iv, cipher.getAuthTag(), body], IV_BYTES + TAG_BYTES + body.length)
}

export function decrypt (keys: PiiKeys, sealed: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', keys.piiEncryptionKey, sealed.subarray(0, IV_BYTES))
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
}

/** Callers pass the normalised ID number (upper-case X), so equal IDs give equal indexes. */
export function blindIndex (keys: PiiKeys, residentId: string): Buffer {
  return createHmac('sha256', keys.blindIndexKey).update(residentId).digest()
}

/** 张小明 → 张** : enough for staff to tell rows apart in a list without exposing the name. */
export function maskName (fullName: string): string {
  const chars = Array.from(fullName)
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1)
}
