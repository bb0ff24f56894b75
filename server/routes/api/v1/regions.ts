// The region tree (county → town → village), for pickers and filters.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'

const Region = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  profile: Type.Union([Type.String(), Type.Null()], { description: '本级设定的认定政策' })
})

export const regionRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/regions', {
    config: { access: 'region.read' },
    schema: {
      tags: ['registry'],
      summary: '行政区划 / regions (children of a parent, or the counties)',
      querystring: Type.Object({ parent: Type.Optional(Type.String({ pattern: '^[0-9]{6,12}$' })) }, { additionalProperties: false }),
      response: { 200: Type.Array(Region), 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema }
    }
  }, async request => {
    const { parent } = request.query
    const rows = await app.db.selectFrom('regions as r')
      .leftJoin('region_policies as p', 'p.region_code', 'r.code')
      .select(['r.code', 'r.name', 'r.level', 'r.parent_code', 'p.profile'])
      .where(eb => parent ? eb('r.parent_code', '=', parent) : eb('r.parent_code', 'is', null))
      .orderBy('r.code').execute()
    return rows.map(row => ({ code: row.code, name: row.name, level: row.level, parentCode: row.parent_code, profile: row.profile }))
  })
}
