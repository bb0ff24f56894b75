import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError, errorResponseSchema } from '../http/errors.js'
import type { ServiceName } from '../plugins/infrastructure.js'

const SERVICE_LABELS: Record<ServiceName, string> = { postgres: 'PostgreSQL', meilisearch: 'Meilisearch', redis: 'Redis' }

export const healthRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/health', {
    schema: {
      tags: ['operations'],
      summary: 'Process is alive (no dependency checks)',
      response: { 200: Type.Object({ status: Type.Literal('ok') }) }
    }
  }, async () => ({ status: 'ok' as const }))

  app.get('/ready', {
    schema: {
      tags: ['operations'],
      summary: 'PostgreSQL, Meilisearch and Redis all answer',
      response: {
        200: Type.Object({ status: Type.Literal('ready'), services: Type.Record(Type.String(), Type.Literal('up')) }),
        503: errorResponseSchema
      }
    }
  }, async request => {
    const names = Object.keys(app.checks) as ServiceName[]
    const outcomes = await Promise.allSettled(names.map(name => app.checks[name]()))
    // A public route: it names the service, never the driver's error (hosts, ports); the log has that.
    const down = names.flatMap((name, i) => {
      const outcome = outcomes[i]
      if (outcome?.status !== 'rejected') return []
      request.log.warn({ service: name, err: outcome.reason }, 'readiness check failed')
      return [{ field: name, code: 'service_down', message: `${SERVICE_LABELS[name]} 不可用 (unavailable)` }]
    })
    if (down.length > 0) {
      throw new AppError(503, 'not_ready', `服务未就绪：${down.map(d => SERVICE_LABELS[d.field as ServiceName]).join('、')} 不可用 (not ready)`, down)
    }
    return { status: 'ready' as const, services: Object.fromEntries(names.map(name => [name, 'up' as const])) }
  })
}
