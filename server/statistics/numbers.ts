// Numbers as the pages write them (1,234 and ¥1,234.50), with the formatters made once:
// Number#toLocaleString builds a new Intl.NumberFormat on every call, which was a third of a
// dashboard's CPU time with a table cell or chart value each.
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const ONE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** 1234 → '1,234'; 12.5 → '12.5'. */
export function grouped (value: number): string {
  return Number.isInteger(value) ? WHOLE.format(value) : ONE.format(value)
}

/** Yuan without the sign: whole yuan without decimals, else two. */
export function money (value: number): string {
  return Number.isInteger(value) ? WHOLE.format(value) : CENTS.format(value)
}
