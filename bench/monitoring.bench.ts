// Dynamic monitoring at scale: a department feed of N records (medical bills, the heaviest kind:
// each needs the person's bills of the last twelve months) matched by blind index against the
// persons of H generated households, and the warnings raised — the whole job as the worker runs
// it (read, parse, match, store each record once, evaluate, raise, route, notify). Peak resident
// memory is sampled every 100 ms. Run:
//   node --import tsx bench/monitoring.bench.ts [households=300000] [records=1000000]
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addDays } from '../matching/dates.js'
import { makeResidentId } from '../matching/resident-id.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { loadDataset } from '../scripts/demo-data/load.js'
import { importStoredFeed } from '../server/monitoring/feeds/import.js'
import { createFeedImport } from '../server/monitoring/feeds/record.js'
import { machine, withDatabase } from './services.js'

const households = Number(process.argv[2] ?? 300000)
const records = Number(process.argv[3] ?? 1000000)
const keys = { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }
const asOf = DEFAULT_AS_OF
const dir = mkdtempSync(join(tmpdir(), 'shanqiao-monitoring-bench-'))

/**
 * The feed: every generated person in turn (then again, with later bills) until N records, one
 * in fifty a stranger to the registry; bills of 50–2,950 yuan, and one in a hundred of 12,000,
 * which crosses the first tier.
 */
async function writeFeed (path: string): Promise<void> {
  const out = createWriteStream(path)
  out.write('身份证号,姓名,结算日期,自付金额,业务编号\n')
  let written = 0
  for (let round = 0; written < records; round++) {
    for (const household of generateDataset({ seed: 1, households, asOf }).households()) {
      for (const member of household.members) {
        if (written >= records) break
        const id = written % 50 === 49 ? makeResidentId('330503', '1960-01-01', (written % 400) * 2 + 1, 'male') : member.idNumber
        const amount = written % 100 === 7 ? 12000 : 50 + (written * 37) % 2900
        if (!out.write(`${id},,${addDays(asOf, -1 - round * 20 - (written % 15))},${amount},B${written}\n`)) await once(out, 'drain')
        written++
      }
      if (written >= records) break
    }
  }
  out.end()
  await once(out, 'finish')
}

await withDatabase(async db => {
  let started = Date.now()
  const counts = await loadDataset(db, keys, generateDataset({ seed: 1, households, asOf }), { asOf, onProgress: n => { if (n % 50000 === 0) console.log(`  ${n} households loaded`) } })
  console.log(`registry: ${counts.households} households / ${counts.persons} persons loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`)

  const source = join(dir, 'feed.csv')
  await writeFeed(source)
  const content = await readFile(source)
  const id = await createFeedImport(db, dir, { kind: 'medical', fileName: 'bench.csv', format: 'csv', scope: { regionPrefix: '' }, createdBy: null, content })
  console.log(`feed: ${records} records, ${(content.length / 1e6).toFixed(1)} MB`)

  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 100)
  const before = process.memoryUsage().rss
  started = Date.now()
  const outcome = await importStoredFeed(db, { ...keys, dataDir: dir }, id, asOf)
  const seconds = (Date.now() - started) / 1000
  clearInterval(sampler)
  console.log(`import: ${seconds.toFixed(1)} s (${Math.round(records / seconds)} records/s); matched ${outcome.matched}, unmatched ${outcome.unmatched}, invalid ${outcome.invalid}, warnings ${outcome.warningsRaised}`)
  console.log(`memory: resident ${Math.round(before / 2 ** 20)} MiB before the import, peak ${Math.round(peak / 2 ** 20)} MiB during it`)
})
rmSync(dir, { recursive: true, force: true })
console.log(machine())
