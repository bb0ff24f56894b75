// What the system page and its API twins answer: each service's state, the job queues' depths
// and the failed jobs an administrator may retry.
import { Type, type Static } from 'typebox'
import { QUEUE_NAMES } from '../../jobs/queues.js'

export const ServiceStateSchema = Type.Object({
  service: Type.Enum(['postgres', 'meilisearch', 'redis']),
  label: Type.String(),
  up: Type.Boolean(),
  facts: Type.Array(Type.Object({ label: Type.String(), value: Type.String() }), { description: '版本、大小、连接数、运行时长等' }),
  problem: Type.Union([Type.String(), Type.Null()], { description: '不可用时的原因' })
})

export const QueueDepthSchema = Type.Object({
  queue: Type.Enum(QUEUE_NAMES),
  waiting: Type.Integer(), active: Type.Integer(), delayed: Type.Integer(), failed: Type.Integer(), completed: Type.Integer()
})

export const SystemStatusSchema = Type.Object({
  checkedAt: Type.String(),
  services: Type.Array(ServiceStateSchema),
  queues: Type.Array(QueueDepthSchema, { description: 'Redis 不可用时为空' })
})
export type SystemStatus = Static<typeof SystemStatusSchema>

export const FailedJobSchema = Type.Object({
  queue: Type.Enum(QUEUE_NAMES),
  id: Type.String(),
  name: Type.String(),
  data: Type.String({ description: '任务内容（JSON，最多 300 字符）' }),
  failedReason: Type.String(),
  attemptsMade: Type.Integer(),
  failedAt: Type.Union([Type.String(), Type.Null()])
})
export type FailedJob = Static<typeof FailedJobSchema>
