// The data generator at benchmark scale: drawing 300,000 households (~1M persons) in memory,
// and loading them into PostgreSQL through the registry's bulk path (ID checks, encryption,
// classification with trace, batched unnest inserts). Run:
//   node --import tsx bench/generate.bench.ts [households] [--no-load]
// (--no-load measures the drawing only, without starting PostgreSQL.)
import { randomBytes } from 'node:crypto'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { loadDataset } from '../scripts/demo-data/load.js'
import { machine, median, withDatabase } from './services.js'

const size = Number(process.argv.slice(2).find(arg => /^\d+$/.test(arg)) ?? 300000)
const load = !process.argv.includes('--no-load')
const times: number[] = []
let persons = 0
for (let run = 0; run < 5; run++) {
  const started = process.hrtime.bigint()
  persons = 0
  for (const household of generateDataset({ seed: run, households: size }).households()) persons += household.members.length
  times.push(Number(process.hrtime.bigint() - started) / 1e9)
}
console.log(`generate: median ${median(times).toFixed(2)} s for ${size} households / ${persons} persons (runs ${times.map(t => t.toFixed(2)).join(' ')})`)

if (load) {
  await withDatabase(async db => {
    const started = Date.now()
    const counts = await loadDataset(db, { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) },
      generateDataset({ seed: 1, households: size }), { asOf: DEFAULT_AS_OF, onProgress: n => { if (n % 50000 === 0) console.log(`  ${n} households loaded`) } })
    const seconds = (Date.now() - started) / 1000
    console.log(`load: ${seconds.toFixed(1)} s for ${counts.households} households / ${counts.persons} persons / ${counts.wishes} wishes (${Math.round(counts.persons / seconds)} persons/s)`)
  })
}
console.log(machine())
