// The system page (/admin/system): PostgreSQL, Meilisearch and Redis — answering or not, with a
// few facts — the depth of each job queue, and the jobs that failed with a retry. The same
// functions and rules as the API's twins (operations/system.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { QUEUE_NAMES, type QueueName } from '../../../jobs/queues.js'
import { authorize } from '../../auth/policy.js'
import { now } from '../../clock.js'
import { failedJobs, retryJob, systemStatus } from '../../operations/system.js'
import { actOrSayWhy } from '../../web/actions.js'
import { setFlash } from '../../web/flash.js'

const QUEUE_LABELS: Record<QueueName, string> = { imports: '数据导入', proposals: '生成推荐', maintenance: '日常维护', search: '搜索索引', feedback: '反馈与通知', feeds: '部门数据导入' }
const FAILED_SHOWN = 50

export const adminSystemPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/admin/system', { config: { access: 'system.read' }, schema: hide }, async (request, reply) => {
    const status = await systemStatus(app, new Date(now()))
    const redisUp = status.services.find(s => s.service === 'redis')?.up === true
    const failed = redisUp ? await failedJobs(app, undefined, FAILED_SHOWN) : []
    return reply.page('admin/system', {
      title: '系统状态', tab: 'system', breadcrumbs: [{ label: '系统管理', href: '/admin' }, { label: '系统' }],
      status, redisUp, allUp: status.services.every(s => s.up),
      queues: status.queues.map(q => ({ ...q, label: QUEUE_LABELS[q.queue] })),
      failed, canRetry: authorize(request.principal, 'system.manage')
    })
  })

  app.post('/admin/system/failed-jobs/:queue/:jobId/retry', {
    config: { access: 'system.manage' },
    schema: { ...hide, params: Type.Object({ queue: Type.Enum(QUEUE_NAMES), jobId: Type.String({ minLength: 1, maxLength: 100 }) }) }
  }, async (request, reply) => {
    return actOrSayWhy(request, reply, '/admin/system', async () => {
      const job = await retryJob(request, request.params.queue, request.params.jobId)
      setFlash(request, reply, 'success', `任务 ${job.queue} #${job.id}（${job.name}）已重新排队，稍后刷新本页查看结果。`)
      return reply.redirect('/admin/system', 303)
    })
  })
}
