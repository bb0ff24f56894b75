// Assembles the Fastify application: infrastructure connections, the common error shape,
// the OpenAPI document at /docs and the routes. main.ts listens; tests inject.
import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { randomUUID } from 'node:crypto'
import type { Config } from './config.js'
import { errorHandling, frameworkErrors } from './http/errors.js'
import { contentEncoding, inputValidators } from './http/input.js'
import { infrastructure } from './plugins/infrastructure.js'
import { healthRoutes } from './routes/health.js'
import { accessControl } from './auth/plugin.js'
import { auditTrail } from './audit/plugin.js'
import { authRoutes } from './routes/api/v1/auth.js'
import { accountRoutes } from './routes/api/v1/account.js'
import { userRoutes } from './routes/api/v1/users.js'
import { apiTokenRoutes } from './routes/api/v1/api-tokens.js'
import { auditRoutes } from './routes/api/v1/audit.js'
import { regionRoutes } from './routes/api/v1/regions.js'
import { eligibilityRoutes } from './routes/api/v1/eligibility.js'
import { householdRoutes } from './routes/api/v1/households.js'
import { assistanceRoutes } from './routes/api/v1/assistance.js'
import { importRoutes } from './routes/api/v1/imports.js'
import { policyRoutes } from './routes/api/v1/policy.js'
import { proposalRunRoutes } from './routes/api/v1/proposal-runs.js'
import { proposalRoutes } from './routes/api/v1/proposals.js'
import { fulfilmentRoutes } from './routes/api/v1/fulfilment.js'
import { courseRoutes } from './routes/api/v1/courses.js'
import { voucherRoutes } from './routes/api/v1/vouchers.js'
import { dreamRoomRoutes } from './routes/api/v1/dream-rooms.js'
import { wishRoutes } from './routes/api/v1/wishes.js'
import { claimRoutes } from './routes/api/v1/claims.js'
import { donorRoutes } from './routes/api/v1/donors.js'
import { projectRoutes } from './routes/api/v1/projects.js'
import { searchRoutes } from './routes/api/v1/search.js'
import { notificationRoutes } from './routes/api/v1/notifications.js'
import { systemRoutes } from './routes/api/v1/system.js'
import { monitoringRoutes } from './routes/api/v1/monitoring.js'
import { views } from './plugins/views.js'
import { webPages } from './routes/web/index.js'
import { pageErrorHandler, pageNotFound } from './web/errors.js'
import { isPagePath } from './http/paths.js'
import { noteRefusal } from './statistics/refusals.js'

export async function buildApp (config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    genReqId: request => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    frameworkErrors,
    // Report every bad field at once, not just the first.
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    schemaController: { compilersFactory: { buildValidator: inputValidators() } }
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  // Help the duplicate check refused is counted for the dashboards (statistics/refusals.ts).
  app.addHook('onError', async (request, _reply, error) => noteRefusal(request, error))

  await app.register(errorHandling, { pages: { isPagePath, error: pageErrorHandler, notFound: pageNotFound } })
  await app.register(contentEncoding)
  // Before any route: every route needs an access rule (deny by default); these are public.
  await app.register(accessControl, { config, publicPrefixes: ['/health', '/ready', '/docs'] })
  await app.register(auditTrail)
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, which the routes' TypeBox schemas are
      // (3.0's dialect has no numeric exclusiveMinimum, no type 'null').
      openapi: '3.1.0',
      info: { title: '善桥 Shanqiao API', version: '1', description: '政府救助与慈善资源对接平台 — government–charity matching' },
      tags: [
        { name: 'operations', description: '运行状态 / health and readiness' },
        { name: 'registry', description: '低收入人口数据库与认定 / the low-income registry and classification' },
        { name: 'needs', description: '微心愿等需求的提出、核实与发布 / needs raised, verified, published' },
        { name: 'claims', description: '爱心认领与送达 / donors\' claims and delivery' },
        { name: 'donors', description: '爱心人士 / donors' },
        { name: 'projects', description: '慈善项目 / charity projects' },
        { name: 'public', description: '公开查询（去标识化）/ public, de-identified' },
        { name: 'search', description: '搜索索引维护 / search index administration' },
        { name: 'notifications', description: '站内通知 / in-app notifications' },
        { name: 'monitoring', description: '动态监测：部门数据、预警与处置 / dynamic monitoring: department feeds, warnings and their handling' },
        { name: 'auth', description: '登录与账号 / sign-in and one\'s own account' }
      ]
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.register(infrastructure, { config })
  await app.register(healthRoutes)
  await app.register(authRoutes)
  await app.register(accountRoutes)
  await app.register(userRoutes)
  await app.register(apiTokenRoutes)
  await app.register(auditRoutes)
  await app.register(regionRoutes)
  await app.register(eligibilityRoutes)
  await app.register(householdRoutes)
  await app.register(assistanceRoutes)
  await app.register(importRoutes)
  await app.register(policyRoutes)
  await app.register(proposalRunRoutes)
  await app.register(proposalRoutes)
  await app.register(fulfilmentRoutes)
  await app.register(courseRoutes)
  await app.register(voucherRoutes)
  await app.register(dreamRoomRoutes)
  await app.register(wishRoutes)
  await app.register(claimRoutes)
  await app.register(donorRoutes)
  await app.register(projectRoutes)
  await app.register(searchRoutes)
  await app.register(notificationRoutes)
  await app.register(systemRoutes)
  await app.register(monitoringRoutes)
  await app.register(views)
  await app.register(webPages)
  return app
}
