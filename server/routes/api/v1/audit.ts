// The audit trail for auditors and administrators: search, CSV export, chain verification.
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { regionScopeFor } from '../../../auth/policy.js'
import { XLSX_TYPE } from './projects.js'
import { auditCsv, auditXlsx, recordExport, searchAudit } from '../../../audit/search.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema }
const filterSchema = {
  actorId: Type.Optional(Type.Integer({ minimum: 1 })),
  actor: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.String({ pattern: '^[a-z_]+(\\.([a-z_]+|\\*))*$', maxLength: 60 })),
  recordType: Type.Optional(Type.String({ maxLength: 40 })),
  recordId: Type.Optional(Type.String({ maxLength: 60 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' }))
}
/** The CSV text, which the handler streams as it reads the trail. */
const CsvStream = Type.Unsafe<Readable>(Type.String())
const recordSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actor: Type.String(),
  action: Type.String(),
  recordType: Type.Union([Type.String(), Type.Null()]),
  recordId: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown({ description: '变更前的值（JSON，因操作而异；无则为 null）' }),
  after: Type.Unknown({ description: '变更后的值（JSON，因操作而异；无则为 null）' }),
  details: Type.Unknown({ description: '操作的其他情况（JSON，因操作而异；无则为 null）' }),
  prevHash: Type.String(),
  hash: Type.String()
})

export const auditRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: '检索审计记录（新的在前）/ search the trail, newest first; page with beforeId',
      querystring: Type.Object({
        ...filterSchema,
        beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 })
      }),
      response: { 200: Type.Object({ records: Type.Array(recordSchema), nextBeforeId: Type.Union([Type.Integer(), Type.Null()]) }), ...errors }
    }
  }, async request => {
    const { limit, ...filter } = request.query
    const records = await searchAudit(app.db, regionScopeFor(request.principal, 'audit.read'), filter, limit)
    return { records, nextBeforeId: records.length === limit ? records[records.length - 1]!.id : null }
  })

  app.get('/api/v1/audit/export.csv', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'], summary: '导出审计记录 CSV / export the matching records as CSV', querystring: Type.Object(filterSchema),
      response: { 200: { description: 'UTF-8 CSV, a header row and one row per record', content: { 'text/csv': { schema: CsvStream } } }, ...errors }
    }
  }, async (request, reply) => {
    const scope = regionScopeFor(request.principal, 'audit.read')
    await recordExport(request, scope, 'csv', request.query)
    reply.header('content-type', 'text/csv; charset=utf-8')
    reply.header('content-disposition', 'attachment; filename="audit.csv"')
    return reply.send(Readable.from(auditCsv(app.db, scope, request.query)))
  })

  app.get('/api/v1/audit/export.xlsx', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'], summary: '导出审计记录 XLSX（中文表头，新的在前，最多 5 万条）/ export the matching records as XLSX', querystring: Type.Object(filterSchema),
      response: { 200: { description: 'XLSX workbook, one sheet 审计记录; header x-truncated: true when more records matched than it holds', content: { [XLSX_TYPE]: { schema: Type.Unsafe<Buffer>(Type.String({ format: 'binary' })) } } }, ...errors }
    }
  }, async (request, reply) => {
    const scope = regionScopeFor(request.principal, 'audit.read')
    await recordExport(request, scope, 'xlsx', request.query)
    const { file, truncated } = await auditXlsx(app.db, scope, request.query)
    return reply.type(XLSX_TYPE).header('content-disposition', 'attachment; filename="audit.xlsx"').header('x-truncated', String(truncated)).send(file)
  })

  app.get('/api/v1/audit/verify', {
    config: { access: 'audit.verify' },
    schema: {
      tags: ['audit'],
      summary: '校验审计哈希链 / verify the hash chain; names the first broken link',
      response: {
        200: Type.Object({
          ok: Type.Boolean(),
          checked: Type.Integer(),
          lastId: Type.Optional(Type.Integer()),
          lastHash: Type.Optional(Type.String()),
          brokenAt: Type.Optional(Type.Integer()),
          reason: Type.Optional(Type.String()),
          message: Type.Optional(Type.String())
        }),
        ...errors
      }
    }
  }, async () => app.audit.verify())
}
