// What staff accounts and projects are bound to: the charity organisations and the training
// institutions, by name, for the choices on staff forms.
import type { Db } from '../db/database.js'

export async function listOrganisations (db: Db): Promise<Array<{ id: number, name: string, regionCode: string }>> {
  const rows = await db.selectFrom('organisations').select(['id', 'name', 'region_code']).orderBy('id').execute()
  return rows.map(r => ({ id: r.id, name: r.name, regionCode: r.region_code }))
}

export async function listInstitutions (db: Db): Promise<Array<{ id: number, name: string, regionCode: string }>> {
  const rows = await db.selectFrom('institutions').select(['id', 'name', 'region_code']).orderBy('id').execute()
  return rows.map(r => ({ id: r.id, name: r.name, regionCode: r.region_code }))
}

/** An organisation's region, the place its projects serve by default. */
export async function organisationRegion (db: Db, id: number): Promise<string | undefined> {
  return (await db.selectFrom('organisations').select('region_code').where('id', '=', id).executeTakeFirst())?.region_code
}
