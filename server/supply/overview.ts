// The charity workbench's first page: what needs the organisation's attention today — its
// projects by state, runs still going, proposals waiting for civil affairs, help being
// delivered (and overdue), rooms awaiting a funder. One organisation's, or (administrators)
// every organisation's.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'

export interface CharityOverview {
  projects: Record<'draft' | 'open' | 'paused' | 'closed', number>
  runsGoing: number
  proposalsWaiting: number
  inProgress: number
  overdue: number
  delivered: number
  roomsAwaitingFunder: number
  budget: number
  committed: number
  spent: number
}

export async function charityOverview (db: Db, organisationId: number | null, asOf: string): Promise<CharityOverview> {
  const ours = organisationId === null ? sql<boolean>`true` : sql<boolean>`p.organisation_id = ${organisationId}`
  const { rows } = await sql<Record<string, string | null>>`
    SELECT
      (SELECT count(*) FROM projects p WHERE ${ours} AND p.status = 'draft') AS draft,
      (SELECT count(*) FROM projects p WHERE ${ours} AND p.status = 'open') AS open,
      (SELECT count(*) FROM projects p WHERE ${ours} AND p.status = 'paused') AS paused,
      (SELECT count(*) FROM projects p WHERE ${ours} AND p.status = 'closed') AS closed,
      (SELECT coalesce(sum(p.budget), 0) FROM projects p WHERE ${ours} AND p.status <> 'draft') AS budget,
      (SELECT coalesce(sum(p.committed), 0) FROM projects p WHERE ${ours} AND p.status <> 'draft') AS committed,
      (SELECT coalesce(sum(p.spent), 0) FROM projects p WHERE ${ours} AND p.status <> 'draft') AS spent,
      (SELECT count(*) FROM proposal_runs r JOIN projects p ON p.id = r.project_id WHERE ${ours} AND r.status IN ('queued', 'running')) AS runs_going,
      (SELECT count(*) FROM proposals pr JOIN projects p ON p.id = pr.project_id WHERE ${ours} AND pr.status = 'open') AS proposals_waiting,
      (SELECT count(*) FROM fulfilments f JOIN proposals pr ON pr.id = f.proposal_id JOIN projects p ON p.id = pr.project_id WHERE ${ours} AND f.state = 'in_progress') AS in_progress,
      (SELECT count(*) FROM fulfilments f JOIN proposals pr ON pr.id = f.proposal_id JOIN projects p ON p.id = pr.project_id WHERE ${ours} AND f.state = 'in_progress' AND f.due_on < ${asOf}::date) AS overdue,
      (SELECT count(*) FROM fulfilments f JOIN proposals pr ON pr.id = f.proposal_id JOIN projects p ON p.id = pr.project_id WHERE ${ours} AND f.state = 'delivered') AS delivered,
      (SELECT count(*) FROM dream_rooms r WHERE r.project_id IS NULL AND r.stage NOT IN ('completed', 'cancelled')) AS rooms_awaiting`.execute(db)
  const r = rows[0] ?? {}
  const n = (key: string) => Number(r[key] ?? 0)
  return {
    projects: { draft: n('draft'), open: n('open'), paused: n('paused'), closed: n('closed') },
    runsGoing: n('runs_going'),
    proposalsWaiting: n('proposals_waiting'),
    inProgress: n('in_progress'),
    overdue: n('overdue'),
    delivered: n('delivered'),
    roomsAwaitingFunder: n('rooms_awaiting'),
    budget: n('budget'),
    committed: n('committed'),
    spent: n('spent')
  }
}
