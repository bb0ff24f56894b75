// Roster imports for civil-affairs staff: upload a CSV or XLSX roster (the template has the
// Chinese headers), watch the job's live progress (htmx polls the progress fragment every
// second), read the problems as a paged table — row, column, value, what is wrong — or download
// them as XLSX to fix and upload again; a re-import of the same file creates nothing and says
// so. The same steps and region scope as /api/v1/imports.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { UploadedFile } from '../../../auth/plugin.js'
import { authorize, regionScopeFor } from '../../../auth/policy.js'
import { AppError, notFound } from '../../../http/errors.js'
import { allProblems, getImportRun, listImports } from '../../../registry/import/record.js'
import { IMPORT_MODE_SPELLINGS, importMode } from '../../../registry/import/run.js'
import { problemsWorkbook, rosterTemplate, rosterTemplateCsv } from '../../../registry/import/sheets.js'
import { importProgress, startImport } from '../../../registry/import/start.js'
import { IdParams } from '../../../schemas/needs.js'
import { setFlash } from '../../../web/flash.js'
import { blankForm, plainMessage, submitForm } from '../../../web/forms.js'
import { dateTime } from '../../../web/format.js'
import { pagination } from '../../../web/pagination.js'
import { withQuery, workRegion } from './context.js'

const PER_PAGE = 50
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const STATUS_NAMES: Record<string, string> = { queued: '排队中', running: '正在导入', completed: '已完成', rejected: '未导入（有错误）', failed: '导入失败' }
const MODE_NAMES: Record<string, string> = { all_or_nothing: '全部无误才导入', valid_rows_only: '只导入无误的家庭' }
const PageQuery = Type.Object({ page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }) }, { additionalProperties: false })
const TemplateParams = Type.Object({ format: Type.Enum(['xlsx', 'csv']) })

const formatOf = (fileName: string): 'csv' | 'xlsx' | undefined => /\.csv$/i.test(fileName) ? 'csv' : /\.xlsx$/i.test(fileName) ? 'xlsx' : undefined
const finished = (status: string) => status !== 'queued' && status !== 'running'

export const importPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  const listPage = async (request: FastifyRequest, page: number) => {
    const region = await workRegion(request, 'import.read')
    const { total, items } = await listImports(app.db, region.scope, { limit: 20, offset: (page - 1) * 20 })
    return {
      title: '花名册导入',
      breadcrumbs: [{ label: '工作台', href: '/work' }, { label: '花名册导入' }],
      region,
      canImport: authorize(request.principal, 'household.import'),
      imports: items.map(i => ({ ...i, statusName: STATUS_NAMES[i.status] ?? i.status, modeName: MODE_NAMES[i.mode] ?? i.mode, at: dateTime(i.createdAt) })),
      total,
      pages: pagination(page, Math.ceil(total / 20), n => withQuery('/work/imports', { page: n })),
      form: blankForm({ mode: 'all_or_nothing' })
    }
  }

  app.get('/work/imports', { config: { access: 'import.read' }, attachValidation: true, schema: { ...hide, querystring: PageQuery } }, async (request, reply) => {
    return reply.page('work/imports', await listPage(request, request.validationError ? 1 : request.query.page))
  })

  app.get('/work/imports/template.:format', { config: { access: 'import.read' }, schema: { ...hide, params: TemplateParams } }, async (request, reply) => {
    if (request.params.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('花名册模板.csv')}`).send(rosterTemplateCsv())
    return reply.type(XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('花名册模板.xlsx')}`).send(await rosterTemplate())
  })

  // Multipart (the file and the mode): no body schema, as for the other uploads; the mode is one of the form's two choices.
  app.post('/work/imports', { config: { access: 'household.import' }, schema: hide }, async (request, reply) => {
    return submitForm(request, reply, { view: 'work/imports', data: () => listPage(request, 1), labels: { mode: '导入方式', roster: '花名册文件' } }, async () => {
      const { roster, mode } = (request.body ?? {}) as { roster?: UploadedFile, mode?: unknown }
      const format = roster ? formatOf(roster.fileName) : undefined
      if (!roster?.content?.length || !format) throw new AppError(400, 'validation_failed', '请选择 CSV 或 XLSX 格式的花名册', [{ field: 'body.roster', code: 'required', message: roster?.content?.length ? '只能导入 .csv 或 .xlsx 文件' : '请选择要导入的花名册文件' }])
      const id = await startImport(request, { fileName: roster.fileName.slice(0, 200), format, mode: importMode(IMPORT_MODE_SPELLINGS.find(spelling => spelling === mode) ?? 'all_or_nothing'), content: roster.content })
      setFlash(request, reply, 'info', `已开始导入“${roster.fileName}”。本页会显示进度，完成后列出问题行。`)
      return reply.redirect(`/work/imports/${id}`, 303)
    })
  })

  app.get('/work/imports/:id', { config: { access: 'import.read' }, attachValidation: true, schema: { ...hide, params: IdParams, querystring: PageQuery } }, async (request, reply) => {
    const page = request.validationError ? 1 : request.query.page
    const run = await getImportRun(app.db, regionScopeFor(request.principal, 'import.read'), request.params.id, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
    if (!run) throw notFound('该导入任务 (import)')
    const progress = finished(run.status) ? null : await importProgress(request, run.id)
    const tally = progress && typeof progress === 'object' ? progress : { rowsRead: 0 }
    const rowsRead = finished(run.status) ? run.rowsRead : tally.rowsRead
    const data = {
      title: `导入：${run.fileName}`,
      breadcrumbs: [{ label: '花名册导入', href: '/work/imports' }, { label: run.fileName }],
      run: { ...run, statusName: STATUS_NAMES[run.status] ?? run.status, modeName: MODE_NAMES[run.mode] ?? run.mode, at: dateTime(run.createdAt) },
      running: !finished(run.status),
      progress: {
        rowsRead,
        households: finished(run.status) ? run.householdsCreated + run.householdsUnchanged : tally.households ?? 0,
        problems: finished(run.status) ? run.problemCount : tally.problems ?? 0,
        // Rows read is not the whole job: the last households are still written and checked
        // against the registry, so a running import shows at most 99 % and says what it is doing.
        percent: run.rowsExpected ? Math.min(finished(run.status) ? 100 : 99, Math.round(rowsRead / run.rowsExpected * 100)) : null,
        writingLast: !finished(run.status) && run.rowsExpected !== null && run.rowsExpected > 0 && rowsRead >= run.rowsExpected
      },
      // The same file again: every household already registered, nothing new.
      nothingNew: run.status === 'completed' && run.householdsCreated === 0 && run.householdsUnchanged > 0,
      problems: run.problems.map(p => ({ ...p, reason: plainMessage(p.reason) })),
      warnings: run.warnings.map(p => ({ ...p, reason: plainMessage(p.reason) })),
      pages: pagination(page, Math.ceil(run.problemCount / PER_PAGE), n => withQuery(`/work/imports/${run.id}`, { page: n }))
    }
    // The poll that finds the import finished reloads the page: the outcome and the problems come with it.
    if (request.wantsFragment) {
      if (finished(run.status)) reply.header('hx-refresh', 'true')
      return reply.fragment('work/import-progress', data)
    }
    return reply.page('work/import', data)
  })

  app.get('/work/imports/:id/problems.xlsx', { config: { access: 'import.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const run = await getImportRun(app.db, regionScopeFor(request.principal, 'import.read'), request.params.id, { limit: 1, offset: 0 })
    if (!run) throw notFound('该导入任务 (import)')
    const problems = (await allProblems(app.db, run.id)).map(p => ({ ...p, reason: plainMessage(p.reason) }))
    return reply.type(XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`问题清单-${run.fileName.replace(/\.(csv|xlsx)$/i, '')}.xlsx`)}`).send(await problemsWorkbook(problems))
  })
}
