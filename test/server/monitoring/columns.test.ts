// How a feed's date cell is read: the forms departments write, and days the calendar lacks.
import t from 'tap'
import { parseFeedRow } from '../../../server/monitoring/feeds/columns.js'
import { makeResidentId } from '../../../matching/resident-id.js'

const id = makeResidentId('330503', '1978-03-03', 11, 'male')
const read = (day: string) => {
  const { record, problems } = parseFeedRow('death', 2, new Map([['idNumber', id], ['occurredOn', day]]), '2026-02-11')
  return record ? record.facts.occurredOn : problems.map(p => p.code).join(',')
}

t.test('dates in the forms departments write are read as the same day', async t => {
  t.same(['2026-02-03', '2026/2/3', '2026.02.03', '2026年2月3日', '20260203', ' 2026-2-3 '].map(read), Array(6).fill('2026-02-03'))
  t.equal(read('2024-02-29'), '2024-02-29', 'a leap day in a leap year')
})

t.test('a day the calendar lacks, a malformed date and a future one are refused', async t => {
  t.same(['2025-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1', '26-01-01', 'yesterday'].map(read), Array(8).fill('invalid_date'))
  t.equal(read('2026-02-12'), 'future_date')
})
