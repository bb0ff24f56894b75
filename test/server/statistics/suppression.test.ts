// Small-cell suppression (statistics/suppression.ts) on tables worked out by hand: a count below
// k is hidden with its money, and a row or column whose total is shown never hides exactly one
// cell, so nothing hidden can be found again by subtraction. Zero is shown.
import t from 'tap'
import { suppressOne, suppressTable, tooSmall, type PublicCell } from '../../../server/statistics/suppression.js'

const H = null
/** The counts as the public sees them (null: hidden). */
const counts = (cells: PublicCell[]) => cells.map(c => c.suppressed ? H : c.n)

t.test('a count below k is too small; zero and k are not', async t => {
  t.same([0, 1, 2, 3, 4].map(n => tooSmall(n, 3)), [false, true, true, false, false])
  t.same(suppressOne(2, 400, 3), { n: null, amount: null, suppressed: true }, 'hidden with its money')
  t.same(suppressOne(3, 400, 3), { n: 3, amount: 400, suppressed: false })
  t.same(suppressOne(0, 0, 3), { n: 0, amount: 0, suppressed: false }, 'nobody helped is said')
})

t.test('one small cell in a 2 × 2 table: its row and column partners go too, the margins stay', async t => {
  // 5 1 | 6
  // 4 6 | 10
  // 9 7 | 16
  const table = suppressTable([[5, 1], [4, 6]], [[500, 100], [400, 600]], 3)
  t.same(table.cells.map(counts), [[H, H], [H, H]], 'hiding the 1 alone would leave 6 − 5; each line then hides two')
  t.same(counts(table.rowTotals), [6, 10])
  t.same(counts(table.columnTotals), [9, 7])
  t.same(table.total, { n: 16, amount: 1600, suppressed: false })
  t.same(table.rowTotals.map(c => c.amount), [600, 1000], 'the totals keep their money')
})

t.test('a single row: the cell and the next smallest in the row, and the same in the totals row', async t => {
  const table = suppressTable([[2, 7, 8]], [[20, 70, 80]], 3)
  t.same(table.cells.map(counts), [[H, H, 8]], 'the 2, then the 7 (smaller than 8; a cell before the total)')
  t.same(counts(table.columnTotals), [H, H, 8], 'a single row is its own column totals: hidden alike')
  t.same(counts(table.rowTotals), [17])
  t.same(table.total.n, 17)
})

t.test('zeros are shown and are not picked to cover a small cell while a positive one is there', async t => {
  const table = suppressTable([[0, 7, 8]], [[0, 70, 80]], 3)
  t.same(table.cells.map(counts), [[0, 7, 8]], 'nothing small: nothing hidden')
  const column = suppressTable([[1], [0], [5], [4]], [[10], [0], [50], [40]], 3)
  t.same(column.cells.map(counts), [[H], [0], [5], [H]], 'a single column (the home page\'s months): the 1, then the 4 — not the 0')
  t.same(column.total.n, 10)
  t.same(counts(column.rowTotals), [H, 0, 5, H], "a row's total is the row itself")
})

t.test('no line of a suppressed table hides exactly one number', async t => {
  const grid = [[12, 0, 2, 9], [3, 1, 0, 14], [30, 22, 6, 1], [0, 0, 0, 4]]
  const table = suppressTable(grid, grid.map(row => row.map(n => n * 100)), 3)
  const shown = [...table.cells.map((row, i) => [...row, table.rowTotals[i] as PublicCell]), [...table.columnTotals, table.total]]
  for (const [i, row] of shown.entries()) t.not(row.filter(c => c.suppressed).length, 1, `row ${i}`)
  for (let j = 0; j < shown[0]!.length; j++) t.not(shown.map(row => row[j] as PublicCell).filter(c => c.suppressed).length, 1, `column ${j}`)
  for (const [i, row] of grid.entries()) {
    for (const [j, n] of row.entries()) if (n > 0 && n < 3) t.ok(table.cells[i]?.[j]?.suppressed, `${n} at ${i},${j} is hidden`)
  }
  t.same(table.cells.flat().filter(c => !c.suppressed).map(c => c.amount), table.cells.flat().filter(c => !c.suppressed).map(c => (c.n ?? 0) * 100), 'the money shown is the shown cells\' own')
})

t.test('without margins only the small cells are hidden', async t => {
  const table = suppressTable([[1, 5], [4, 6]], [[1, 5], [4, 6]], 3, false)
  t.same(table.cells.map(counts), [[H, 5], [4, 6]])
})
