// A roster's date cells: read in the same forms as a department feed's; a day the calendar lacks is a bad cell.
import t from 'tap'
import { mapHeaders, parseRow } from '../../../server/registry/import/rows.js'

const map = mapHeaders(['财产核查日期'])
const read = (text: string) => {
  const { values, problems } = parseRow(2, [text], map)
  return problems.find(p => p.column === '财产核查日期')?.code ?? values.propertyCheckedOn
}

t.test('roster date cells: the forms people write, 20260203 among them', async t => {
  t.same(['2026-02-03', '2026/2/3', '2026.2.3', '2026年2月3日', '20260203'].map(read), Array(5).fill('2026-02-03'))
})

t.test('a day the calendar lacks or a text that is no date is a bad cell', async t => {
  t.same(['2025-02-29', '2026-13-01', '2026-02', 'soon'].map(read), Array(4).fill('bad_date'))
})
