// The system's state for administrators: the services, the job queues and the failed jobs,
// with a retry (audited).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { now } from '../../../clock.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { failedJobs, retryJob, systemStatus } from '../../../operations/system.js'
import { FailedJobSchema, SystemStatusSchema } from '../../../schemas/system.js'
import { QUEUE_NAMES } from '../../../../jobs/queues.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema, 503: errorResponseSchema }
const tags = ['operations']

export const systemRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/system/status', {
    config: { access: 'system.read' },
    schema: { tags, summary: 'PostgreSQL、Meilisearch、Redis 的状态与任务队列 / services and job queues', response: { 200: SystemStatusSchema, ...errors } }
  }, async () => systemStatus(app, new Date(now())))

  app.get('/api/v1/system/failed-jobs', {
    config: { access: 'system.read' },
    schema: {
      tags, summary: '失败的任务（新的在前）/ failed jobs, newest first',
      querystring: Type.Object({ queue: Type.Optional(Type.Enum(QUEUE_NAMES)), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false }),
      response: { 200: Type.Array(FailedJobSchema), ...errors }
    }
  }, async request => failedJobs(app, request.query.queue, request.query.limit))

  app.post('/api/v1/system/failed-jobs/:queue/:jobId/retry', {
    config: { access: 'system.manage' },
    schema: {
      tags, summary: '重试失败的任务 / retry a failed job',
      params: Type.Object({ queue: Type.Enum(QUEUE_NAMES), jobId: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: FailedJobSchema, ...errors }
    }
  }, async request => retryJob(request, request.params.queue, request.params.jobId))
}
