// The region tree (county → town → village), for pickers and filters.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { childRegions } from '../../../registry/regions.js'
import { RegionSchema } from '../../../schemas/regions.js'

export const regionRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/regions', {
    config: { access: 'region.read' },
    schema: {
      tags: ['registry'],
      summary: '行政区划 / regions (children of a parent, or the counties)',
      querystring: Type.Object({ parent: Type.Optional(Type.String({ pattern: '^[0-9]{6,12}$' })) }, { additionalProperties: false }),
      response: { 200: Type.Array(RegionSchema), 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema }
    }
  }, async request => childRegions(app.db, request.query.parent))
}
