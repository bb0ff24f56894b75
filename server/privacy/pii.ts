// Personal data at rest: names, ID numbers, addresses and phones are encrypted with
// AES-256-GCM (key from PII_ENCRYPTION_KEY); ID numbers also get a keyed blind index
// (HMAC-SHA256 with BLIND_INDEX_KEY) so an exact lookup and the 一人一次 uniqueness check
// work without decrypting anything.
import { createCipheriv, createDecipheriv, createHmac, hash, randomFillSync } from 'node:crypto'

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

const SHA256_BLOCK = 64

/**
 * `blindIndex` for many ID numbers under one key (a department feed of a million records): the
 * same HMAC-SHA256 (RFC 2104), written out as two one-shot hashes over the key's padded blocks,
 * which are prepared once. A new Hmac object per number cost about twice as much.
 */
export function blindIndexer (blindIndexKey: Uint8Array): (residentId: string) => Buffer {
  const key = blindIndexKey.length > SHA256_BLOCK ? hash('sha256', blindIndexKey, 'buffer') as Buffer : blindIndexKey
  const inner = Buffer.alloc(SHA256_BLOCK + 32, 0x36)
  const outer = Buffer.alloc(SHA256_BLOCK + 32, 0x5c)
  for (let i = 0; i < key.length; i++) {
    inner[i] = (inner[i] as number) ^ (key[i] as number)
    outer[i] = (outer[i] as number) ^ (key[i] as number)
  }
  let message = inner
  return residentId => {
    const length = Buffer.byteLength(residentId)
    if (SHA256_BLOCK + length > message.length) message = Buffer.concat([inner.subarray(0, SHA256_BLOCK), Buffer.alloc(length)])
    message.write(residentId, SHA256_BLOCK, 'utf8')
    const digest = hash('sha256', message.subarray(0, SHA256_BLOCK + length), 'buffer') as Buffer
    digest.copy(outer, SHA256_BLOCK)
    return hash('sha256', outer, 'buffer') as Buffer
  }
}

/** 张小明 → 张** : enough for staff to tell rows apart in a list without exposing the name. */
export function maskName (fullName: string): string {
  const chars = Array.from(fullName)
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1)
}
