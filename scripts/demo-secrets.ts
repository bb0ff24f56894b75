// Development and demo secrets, generated once per DATA_DIR so that encrypted data stays
// readable across restarts. Production never uses this: it must set the variables itself.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'

export interface DemoSecrets {
  PII_ENCRYPTION_KEY: string
  BLIND_INDEX_KEY: string
}

export function demoSecrets (dataDir: string): DemoSecrets {
  const file = join(dataDir, 'secrets.json')
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoSecrets
  const secrets: DemoSecrets = {
    PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BLIND_INDEX_KEY: randomBytes(32).toString('hex')
  }
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  return secrets
}
