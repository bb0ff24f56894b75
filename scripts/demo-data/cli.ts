// npm run demo-data -- --households 300000 [--seed 42]
// Writes a generated dataset into the database named by DATABASE_URL, encrypting with
// PII_ENCRYPTION_KEY / BLIND_INDEX_KEY (the same variables the server reads).
import { parseArgs } from 'node:util'
import { createDb } from '../../server/db/database.js'
import { migrateToLatest } from '../../server/db/migrator.js'
import { today } from '../../server/clock.js'
import { generateDataset } from './index.js'
import { loadDataset } from './load.js'

const { values } = parseArgs({ options: { households: { type: 'string', default: '2000' }, seed: { type: 'string', default: '2025' } } })
const households = Number(values.households)
const key = (name: string) => {
  const value = process.env[name] ?? ''
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new Error(`${name} must be set to 64 hex characters (the server's key)`)
  return Buffer.from(value, 'hex')
}
if (!Number.isInteger(households) || households < 1) throw new Error('--households must be a positive integer')
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name the database to fill')

const db = createDb(process.env.DATABASE_URL, 2)
try {
  await migrateToLatest(db)
  const started = Date.now()
  const asOf = today()
  const counts = await loadDataset(db, { piiEncryptionKey: key('PII_ENCRYPTION_KEY'), blindIndexKey: key('BLIND_INDEX_KEY') },
    generateDataset({ seed: values.seed, households, asOf }), {
      asOf,
      onProgress: n => { if (n % 20000 === 0) console.log(`${n} households …`) }
    })
  console.log(`loaded ${counts.households} households, ${counts.persons} persons, ${counts.wishes} wishes in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} finally {
  await db.destroy()
}
