// Small-cell suppression for what the public sees (/impact, the home page): a count of fewer
// than k households or persons (the platform's K_ANONYMITY, the same k that decides how wishes
// are shown) is not published, and neither is the money that goes with it. A table that also
// shows its totals would give a hidden cell away by subtraction, so when a row or column (its
// total included) hides exactly one cell, the next smallest is hidden too, until no line
// hides exactly one ("secondary suppression"). Zero is shown: it says nobody was helped, and
// so nothing about anyone.

export interface PublicCell {
  /** The count, or null when hidden. */
  n: number | null
  /** The money that goes with it, hidden with it. */
  amount: number | null
  suppressed: boolean
}

export interface SuppressedTable {
  cells: PublicCell[][]
  /** Row totals (one per row) and column totals (one per column), and the grand total. */
  rowTotals: PublicCell[]
  columnTotals: PublicCell[]
  total: PublicCell
}

const show = (n: number, amount: number): PublicCell => ({ n, amount, suppressed: false })
const hide = (): PublicCell => ({ n: null, amount: null, suppressed: true })

/** Is this count too small to publish? */
export function tooSmall (n: number, k: number): boolean {
  return n > 0 && n < k
}

/**
 * A table of counts (rows × columns, with the money of each cell) and its margins, suppressed
 * for k. `margins: false` for a list whose rows are shown without totals.
 */
export function suppressTable (counts: number[][], amounts: number[][], k: number, margins = true): SuppressedTable {
  const rows = counts.length
  const columns = counts[0]?.length ?? 0
  const rowSum = counts.map(row => row.reduce((a, b) => a + b, 0))
  const columnSum = Array.from({ length: columns }, (_, j) => counts.reduce((a, row) => a + (row[j] ?? 0), 0))
  const grand = rowSum.reduce((a, b) => a + b, 0)
  // The grid with its margins: (rows + 1) × (columns + 1), the last row and column the totals.
  const grid: number[][] = [...counts.map((row, i) => [...row, rowSum[i] as number]), [...columnSum, grand]]
  const hidden = grid.map(row => row.map(n => tooSmall(n, k)))
  if (margins) {
    // Lines whose cells add up to a shown total: each row and each column, its total included.
    // A row of one column is its own total, so only the columns count then.
    const lines: Array<Array<[number, number]>> = []
    if (columns > 1) for (let i = 0; i <= rows; i++) lines.push(Array.from({ length: columns + 1 }, (_, j) => [i, j]))
    if (rows > 1) for (let j = 0; j <= columns; j++) lines.push(Array.from({ length: rows + 1 }, (_, i) => [i, j]))
    if (columns === 1) lines.push(Array.from({ length: rows + 1 }, (_, i) => [i, 0]))
    for (let changed = true; changed;) {
      changed = false
      for (const line of lines) {
        if (line.filter(([i, j]) => hidden[i]?.[j]).length !== 1) continue
        // Hide the smallest other cell of the line: a positive one before a zero, a cell before a total.
        const candidates = line.filter(([i, j]) => !hidden[i]?.[j])
        const isTotal = ([i, j]: [number, number]) => i === rows || j === columns
        candidates.sort((a, b) => Number(isTotal(a)) - Number(isTotal(b)) || Number((grid[a[0]]?.[a[1]] ?? 0) === 0) - Number((grid[b[0]]?.[b[1]] ?? 0) === 0) || (grid[a[0]]?.[a[1]] ?? 0) - (grid[b[0]]?.[b[1]] ?? 0))
        const next = candidates[0]
        if (!next) continue
        ;(hidden[next[0]] as boolean[])[next[1]] = true
        changed = true
      }
    }
  }
  const amountSum = (pick: (i: number, j: number) => boolean) => {
    let total = 0
    for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) if (pick(i, j)) total += amounts[i]?.[j] ?? 0
    return Math.round(total * 100) / 100
  }
  const cell = (i: number, j: number, amount: number) => hidden[i]?.[j] ? hide() : show(grid[i]?.[j] ?? 0, amount)
  return {
    cells: counts.map((row, i) => row.map((_, j) => cell(i, j, amounts[i]?.[j] ?? 0))),
    rowTotals: counts.map((_, i) => cell(i, columns, amountSum(r => r === i))),
    columnTotals: Array.from({ length: columns }, (_, j) => cell(rows, j, amountSum((_r, c) => c === j))),
    total: cell(rows, columns, amountSum(() => true))
  }
}

/** One figure on its own (a headline number). */
export function suppressOne (n: number, amount: number, k: number): PublicCell {
  return tooSmall(n, k) ? hide() : show(n, amount)
}
