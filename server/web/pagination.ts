// The page links under a list: previous, next, and a few page numbers around the current one.
export interface Pagination {
  page: number
  totalPages: number
  previous: string | null
  next: string | null
  numbers: Array<{ page: number, href: string, current: boolean }>
}

export function pagination (page: number, totalPages: number, href: (page: number) => string, around = 2): Pagination | null {
  if (totalPages <= 1) return null
  const from = Math.max(1, Math.min(page - around, totalPages - 2 * around))
  const to = Math.min(totalPages, Math.max(page + around, 1 + 2 * around))
  const numbers = []
  for (let p = from; p <= to; p++) numbers.push({ page: p, href: href(p), current: p === page })
  return { page, totalPages, previous: page > 1 ? href(page - 1) : null, next: page < totalPages ? href(page + 1) : null, numbers }
}
