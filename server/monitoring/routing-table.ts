// The routing table in force: the documents' rows (matching/monitoring/routing.ts) with the
// administrators' rows over them. An administrator's row can be set, or removed to return to
// the document's.
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'
import { DEFAULT_ROUTES, routingTable, type Department, type DeskLevel, type Route, type RuleKey, type WarningClass } from '../../matching/monitoring/index.js'

export async function routeOverrides (db: Db): Promise<Route[]> {
  const rows = await db.selectFrom('warning_routes').selectAll().execute()
  return rows.map(r => ({ warningClass: r.warning_class as WarningClass, cause: r.cause as RuleKey | '', department: r.department as Department, level: r.level, source: r.note }))
}

export async function loadRoutingTable (db: Db): Promise<Route[]> {
  return routingTable(await routeOverrides(db))
}

export interface RouteView extends Route { edited: boolean, defaultDepartment: Department | null, defaultLevel: DeskLevel | null }

/** The table for administrators: each row, whether it was edited, and what the document says. */
export async function routingTableView (db: Db): Promise<RouteView[]> {
  const overrides = await routeOverrides(db)
  return routingTable(overrides).map(route => {
    const original = DEFAULT_ROUTES.find(r => r.warningClass === route.warningClass && r.cause === route.cause)
    return {
      ...route,
      edited: overrides.some(r => r.warningClass === route.warningClass && r.cause === route.cause),
      defaultDepartment: original?.department ?? null,
      defaultLevel: original?.level ?? null
    }
  })
}

export interface RouteChange { warningClass: WarningClass, cause: RuleKey | '', department: Department, level: DeskLevel, note: string }

/** Sets a row (a new one, or over the document's). Warnings already raised keep their desk. */
export async function setRoute (db: Db, change: RouteChange, by: number | null): Promise<Route> {
  await db.insertInto('warning_routes').values({ warning_class: change.warningClass, cause: change.cause, department: change.department, level: change.level, note: change.note, updated_by: by })
    .onConflict(oc => oc.columns(['warning_class', 'cause']).doUpdateSet({ department: change.department, level: change.level, note: change.note, updated_by: by, updated_at: new Date() }))
    .execute()
  return { warningClass: change.warningClass, cause: change.cause, department: change.department, level: change.level, source: change.note }
}

/** Removes an administrator's row: the document's row (if any) applies again. */
export async function resetRoute (db: Db, warningClass: WarningClass, cause: RuleKey | ''): Promise<void> {
  const result = await db.deleteFrom('warning_routes').where('warning_class', '=', warningClass).where('cause', '=', cause).executeTakeFirst()
  if (result.numDeletedRows === 0n) throw notFound('该路由行 (route override)')
}
