// Classification speed in matching/policy: households per second on one core, with the full
// trace (what the API returns) and without it (bulk recomputation). Run:
//   node --import tsx bench/classify.bench.ts [households]
import { classify, PROFILES, resolveParameters } from '../matching/policy/index.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { machine, median } from './services.js'

const size = Number(process.argv[2] ?? 300000)
const households = [...generateDataset({ seed: 1, households: size }).households()]
const nanxun = PROFILES['nanxun-2025']
const jiyuan = PROFILES['jiyuan-2024']
const parameters = {
  nanxun: resolveParameters(nanxun.id, nanxun.parameters, [], DEFAULT_AS_OF),
  jiyuan: resolveParameters(jiyuan.id, jiyuan.parameters, [], DEFAULT_AS_OF)
}
const persons = households.reduce((n, h) => n + h.members.length, 0)

function pass (explain: boolean): number {
  const started = process.hrtime.bigint()
  let checksum = 0
  for (const h of households) {
    const result = h.regionCode.startsWith('330503')
      ? classify(nanxun, parameters.nanxun, h, DEFAULT_AS_OF, explain)
      : classify(jiyuan, parameters.jiyuan, h, DEFAULT_AS_OF, explain)
    checksum += result.category.length
  }
  if (checksum === 0) throw new Error('nothing classified')
  return Number(process.hrtime.bigint() - started) / 1e9
}

pass(false) // warm-up
for (const explain of [false, true]) {
  const runs = Array.from({ length: 5 }, () => pass(explain))
  const seconds = median(runs)
  console.log(`${explain ? 'with trace   ' : 'without trace'}: ${Math.round(size / seconds).toLocaleString('en')} households/s (median of 5: ${seconds.toFixed(3)} s for ${size} households, ${persons} persons; runs ${runs.map(r => r.toFixed(3)).join(' ')})`)
}
console.log(machine())
