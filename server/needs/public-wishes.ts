// Published wishes as donors and the public read them outside search: one wish, the figures
// on the home page, and the newest. Only the stored de-identified document ever leaves.
import type { Db } from '../db/database.js'
import type { PublicWish } from './public-view.js'

/** Where a wish that was once public stands, as a donor may know it. */
export type Availability = 'open' | 'claimed' | 'fulfilled'

const AVAILABILITY: Record<string, Availability> = { published: 'open', claimed: 'claimed', delivered: 'claimed', confirmed: 'fulfilled', closed: 'fulfilled' }

export interface WishForDonors {
  wish: PublicWish
  availability: Availability
  /** The reader's own live claim on it, if the reader is the donor who holds it. */
  myClaimId: number | null
}

/**
 * A wish that was published, whatever happened since (claimed, delivered, fulfilled), so that
 * a donor who follows a link learns it is taken rather than that it never existed. Wishes
 * never published, withdrawn or rejected are not found.
 */
export async function wishForDonors (db: Db, id: number, donorId: number | null): Promise<WishForDonors | undefined> {
  const row = await db.selectFrom('wishes as w')
    .select(['w.public_view', 'w.state'])
    .select(eb => eb.selectFrom('claims as c').select('c.id').whereRef('c.wish_id', '=', 'w.id')
      .where('c.donor_id', '=', donorId ?? -1).where('c.state', 'in', ['active', 'delivered', 'confirmed']).orderBy('c.id', 'desc').limit(1).as('my_claim_id'))
    .where('w.id', '=', id).executeTakeFirst()
  const availability = row && AVAILABILITY[row.state]
  if (!row || !availability || row.public_view === null) return undefined
  return { wish: row.public_view as PublicWish, availability, myClaimId: row.my_claim_id ?? null }
}

export interface HomeFigures {
  published: number
  fulfilled: number
  openProjects: number
  latest: PublicWish[]
}

export async function homeFigures (db: Db): Promise<HomeFigures> {
  const wishesIn = (states: string[]) => db.selectFrom('wishes').select(eb => eb.fn.countAll<number>().as('n')).where('state', 'in', states).executeTakeFirstOrThrow()
  const [published, fulfilled, projects, latest] = await Promise.all([
    wishesIn(['published']),
    wishesIn(['confirmed', 'closed']),
    db.selectFrom('projects').select(eb => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow(),
    db.selectFrom('wishes').select('public_view').where('state', '=', 'published').orderBy('published_at', 'desc').limit(6).execute()
  ])
  return { published: Number(published.n), fulfilled: Number(fulfilled.n), openProjects: Number(projects.n), latest: latest.map(r => r.public_view as PublicWish) }
}
