// Roster imports: upload a CSV or XLSX file as the request body; the import runs as a bull
// job, and its status, counts and every bad row (line, column, reason) are read back here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { regionScopeFor } from '../../../auth/policy.js'
import { AppError, errorResponseSchema, notFound } from '../../../http/errors.js'
import { getImportRun } from '../../../registry/import/record.js'
import { importProgress, startImport } from '../../../registry/import/start.js'
import { IMPORT_MODE_SPELLINGS, importMode } from '../../../registry/import/run.js'
import { ImportRunSchema } from '../../../schemas/household.js'

const FORMATS = {
  'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx'
} as const

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 415: errorResponseSchema }

export const importRoutes: FastifyPluginAsyncTypebox = async app => {
  app.addContentTypeParser(Object.keys(FORMATS), { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => done(null, body))

  app.post('/api/v1/imports', {
    config: { access: 'household.import' },
    bodyLimit: MAX_UPLOAD_BYTES,
    schema: {
      tags: ['registry'],
      summary: '导入花名册（CSV 或 XLSX，作为请求体上传）/ import a roster',
      description: 'Content-Type: text/csv (UTF-8) or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet. Columns: see README "Importing rosters".',
      querystring: Type.Object({
        mode: Type.Enum(IMPORT_MODE_SPELLINGS, { default: 'all_or_nothing', description: 'all-or-nothing（默认）或 valid-rows-only；下划线写法亦可' }),
        fileName: Type.String({ minLength: 1, maxLength: 200, default: 'roster' })
      }, { additionalProperties: false }),
      response: { 202: Type.Object({ id: Type.Integer(), status: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const format = FORMATS[(request.headers['content-type'] ?? '').split(';')[0]?.trim() as keyof typeof FORMATS]
    const content = request.body
    if (!format || !Buffer.isBuffer(content) || content.length === 0) {
      throw new AppError(415, 'unsupported_media_type', '请上传 CSV（text/csv）或 XLSX 文件 (upload a CSV or XLSX file)')
    }
    const id = await startImport(request, { fileName: request.query.fileName, format, mode: importMode(request.query.mode), content })
    return reply.status(202).send({ id, status: 'queued' })
  })

  app.get('/api/v1/imports/:id', {
    config: { access: 'import.read' },
    schema: {
      tags: ['registry'],
      summary: '导入进度与问题行 / import status, counts and bad rows',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: { 200: ImportRunSchema, ...errors }
    }
  }, async request => {
    const run = await getImportRun(app.db, regionScopeFor(request.principal, 'import.read'), request.params.id, request.query)
    if (!run) throw notFound('该导入任务 (import)')
    // bull reports 0 until the job's first report of rows read.
    return { ...run, progress: await importProgress(request, run.id) }
  })
}
