// The state of what the platform runs on, for administrators: PostgreSQL, Meilisearch and
// Redis (each answering or not, with a few facts), the depth of each job queue, the jobs that
// failed and retrying one. Every answer comes within seconds even when a service is down:
// each look has its own time limit (the queue's `enqueue` for Redis).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { enqueue, QUEUE_NAMES, type QueueName } from '../../jobs/queues.js'
import { conflict, notFound } from '../http/errors.js'
import type { FailedJob, SystemStatus } from '../schemas/system.js'

const LOOK_MS = 3000

function within<T> (promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${LOOK_MS / 1000} 秒内没有应答`)), LOOK_MS) })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const duration = (seconds: number) => seconds >= 86400 ? `${Math.floor(seconds / 86400)} 天 ${Math.floor(seconds % 86400 / 3600)} 小时` : seconds >= 3600 ? `${Math.floor(seconds / 3600)} 小时 ${Math.floor(seconds % 3600 / 60)} 分` : `${Math.floor(seconds / 60)} 分`
const reason = (error: unknown) => error instanceof Error ? error.message.slice(0, 200) : '无法连接'

async function postgres (app: FastifyInstance): Promise<SystemStatus['services'][number]> {
  try {
    const { rows } = await within(sql<{ version: string, size: string, connections: string, uptime: string }>`
      SELECT current_setting('server_version') AS version, pg_database_size(current_database()) AS size,
             (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS connections,
             extract(epoch FROM now() - pg_postmaster_start_time())::bigint AS uptime`.execute(app.db))
    const r = rows[0]!
    return { service: 'postgres', label: 'PostgreSQL 数据库', up: true, problem: null, facts: [
      { label: '版本', value: r.version }, { label: '数据库大小', value: megabytes(Number(r.size)) },
      { label: '当前连接', value: String(r.connections) }, { label: '已运行', value: duration(Number(r.uptime)) }
    ] }
  } catch (error) {
    return { service: 'postgres', label: 'PostgreSQL 数据库', up: false, problem: reason(error), facts: [] }
  }
}

async function meilisearch (app: FastifyInstance): Promise<SystemStatus['services'][number]> {
  try {
    const [version, stats] = await within(Promise.all([app.meili.getVersion(), app.meili.getStats()]))
    return { service: 'meilisearch', label: 'Meilisearch 搜索', up: true, problem: null, facts: [
      { label: '版本', value: version.pkgVersion }, { label: '索引数', value: String(Object.keys(stats.indexes).length) },
      { label: '数据大小', value: megabytes(stats.databaseSize) }, { label: '最近更新', value: stats.lastUpdate ?? '—' }
    ] }
  } catch (error) {
    return { service: 'meilisearch', label: 'Meilisearch 搜索', up: false, problem: reason(error), facts: [] }
  }
}

/** `INFO` as fields (key:value lines). */
function infoFields (info: string): Record<string, string> {
  return Object.fromEntries(info.split(/\r?\n/).filter(line => line.includes(':') && !line.startsWith('#')).map(line => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]))
}

async function redis (app: FastifyInstance): Promise<SystemStatus['services'][number]> {
  try {
    const info = infoFields(await enqueue(app.queues.maintenance, queue => queue.client.info()))
    return { service: 'redis', label: 'Redis 任务队列', up: true, problem: null, facts: [
      { label: '版本', value: info.redis_version ?? '—' }, { label: '内存', value: info.used_memory_human ?? '—' },
      { label: '客户端连接', value: info.connected_clients ?? '—' }, { label: '已运行', value: duration(Number(info.uptime_in_seconds ?? 0)) }
    ] }
  } catch (error) {
    return { service: 'redis', label: 'Redis 任务队列', up: false, problem: reason(error), facts: [] }
  }
}

export async function systemStatus (app: FastifyInstance, at: Date): Promise<SystemStatus> {
  const services = await Promise.all([postgres(app), meilisearch(app), redis(app)])
  const redisUp = services[2]!.up
  const queues = redisUp
    ? await Promise.all(QUEUE_NAMES.map(async name => {
      const counts = await enqueue(app.queues[name], queue => queue.getJobCounts()).catch(() => ({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }))
      return { queue: name, waiting: counts.waiting, active: counts.active, delayed: counts.delayed, failed: counts.failed, completed: counts.completed }
    }))
    : []
  return { checkedAt: at.toISOString(), services, queues }
}

/** The failed jobs of one queue or all, newest first (bull keeps the last 5,000 of each). */
export async function failedJobs (app: FastifyInstance, queue: QueueName | undefined, limit: number): Promise<FailedJob[]> {
  const names = queue ? [queue] : [...QUEUE_NAMES]
  const lists = await Promise.all(names.map(async name => {
    const jobs = await enqueue(app.queues[name], q => q.getFailed(0, limit - 1))
    return jobs.filter(Boolean).map(job => ({
      queue: name, id: String(job.id), name: job.name, data: JSON.stringify(job.data ?? {}).slice(0, 300),
      failedReason: (job.failedReason ?? '').slice(0, 500), attemptsMade: job.attemptsMade,
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null
    }))
  }))
  return lists.flat().sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? '')).slice(0, limit)
}

/** Runs a failed job again, audited; 404 for no such job, 409 for one that has not failed. */
export async function retryJob (request: FastifyRequest, queue: QueueName, jobId: string): Promise<FailedJob> {
  const app = request.server
  const job = await enqueue(app.queues[queue], q => q.getJob(jobId))
  if (!job) throw notFound('该任务 (job)')
  if (!await job.isFailed()) throw conflict('job_not_failed', '该任务没有失败，不需要重试 (the job has not failed)')
  const failed: FailedJob = { queue, id: String(job.id), name: job.name, data: JSON.stringify(job.data ?? {}).slice(0, 300), failedReason: (job.failedReason ?? '').slice(0, 500), attemptsMade: job.attemptsMade, failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null }
  await enqueue(app.queues[queue], () => job.retry())
  await request.audit({ action: 'system.job_retry', record: { type: 'job', id: `${queue}:${job.id}` }, details: { queue, jobId: String(job.id), name: job.name, failedReason: failed.failedReason } })
  return failed
}
