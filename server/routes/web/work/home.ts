// /work — the civil-affairs workbench's home: what waits, as counts that link to their queues
// (server/web/work-queues.ts), for the region the person works for.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { authorize } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { fullDate } from '../../../web/format.js'
import { queueCounts } from '../../../web/work-queues.js'
import { workRegion } from './context.js'

export const homePages: FastifyPluginAsyncTypebox = async app => {
  app.get('/work', { config: { access: 'household.read' }, schema: { hide: true } }, async (request, reply) => {
    const asOf = today()
    const [region, queues] = await Promise.all([workRegion(request), queueCounts(app.db, request.principal, asOf)])
    return reply.page('work/home', {
      title: '工作台',
      region,
      today: fullDate(asOf),
      queues: queues.map(q => ({ ...q, waiting: q.count > 0 })),
      waiting: queues.reduce((sum, q) => sum + q.count, 0),
      canWrite: authorize(request.principal, 'household.write'),
      canImport: authorize(request.principal, 'household.import')
    })
  })
}
