// Dashboards kept between rebuilds (sameFigures in statistics/refresh.ts): computed once per
// rebuild; when a rebuild lands, the previous figures are given (with their own time) until the
// new ones are ready, then the new ones; a reader behind the kept rebuild is not kept.
import t from 'tap'
import { sameFigures, type Freshness } from '../../../server/statistics/refresh.js'

const at = (minute: number): Freshness => ({ at: `2026-12-07T08:${String(minute).padStart(2, '0')}:00.000Z`, tookMs: 10, everyMinutes: 5 })

t.test('once per rebuild, the previous figures while the next are computed', async t => {
  const db = {}
  const calls: string[] = []
  let release: (value: string) => void = () => {}
  const figures = (label: string, wait = false) => () => {
    calls.push(label)
    return wait ? new Promise<string>(resolve => { release = resolve }) : Promise.resolve(label)
  }
  t.equal(await sameFigures(db, at(0), 'civil|a', figures('first')), 'first', 'nothing kept: computed')
  t.equal(await sameFigures(db, at(0), 'civil|a', figures('again')), 'first', 'the same rebuild: kept')
  t.equal(await sameFigures(db, at(0), 'civil|b', figures('other')), 'other', 'another page: its own')
  t.same(calls, ['first', 'other'])

  // A rebuild lands: the figures of 08:00 are given while those of 08:05 are computed.
  t.equal(await sameFigures(db, at(5), 'civil|a', figures('second', true)), 'first', 'the previous figures at once')
  t.equal(await sameFigures(db, at(5), 'civil|a', figures('never')), 'first', 'still the previous while the new ones are computed')
  release('second')
  await new Promise(resolve => setImmediate(resolve))
  t.equal(await sameFigures(db, at(5), 'civil|a', figures('never')), 'second', 'then the new ones')
  t.equal(await sameFigures(db, at(5), 'civil|c', figures('third')), 'third', 'a page not asked for before: computed and waited for')
  t.same(calls, ['first', 'other', 'second', 'third'])

  // A reader whose freshness query raced a commit sees an older rebuild: computed, not kept, nothing reset.
  t.equal(await sameFigures(db, at(0), 'civil|a', figures('behind')), 'behind')
  t.equal(await sameFigures(db, at(5), 'civil|a', figures('never')), 'second', 'the kept figures stay')
})

t.test('failures are not kept', async t => {
  const db = {}
  const failing = () => Promise.reject(Object.assign(new Error('not found'), { statusCode: 404 }))
  await t.rejects(sameFigures(db, at(0), 'civil|x', failing), { message: 'not found' })
  t.equal(await sameFigures(db, at(0), 'civil|x', () => Promise.resolve('found')), 'found', 'asked again: computed again')
  // After a rebuild, a page whose previous computation failed waits for the new one.
  await t.rejects(sameFigures(db, at(0), 'civil|y', failing))
  t.equal(await sameFigures(db, at(5), 'civil|y', () => Promise.resolve('now')), 'now')
})
