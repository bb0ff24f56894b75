// Search operations (/admin/search): each index's state and what waits to be synced (the
// outbox's lag), a consistency check against the database and its repair, a rebuild, and the
// synonym groups. The same functions and rules as the API's twins (search/maintenance.ts,
// search/actions.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { authorize } from '../../auth/policy.js'
import { formBody } from '../../auth/csrf.js'
import { invalid } from '../../http/errors.js'
import { queueReindex, repairIndex, setSynonyms } from '../../search/actions.js'
import { DEFAULT_SYNONYMS, INDEX_NAMES, synonymGroups, type IndexName } from '../../search/indexes.js'
import { checkConsistency, indexStatus } from '../../search/maintenance.js'
import type { ConsistencyReport } from '../../schemas/search.js'
import { actOrSayWhy } from '../../web/actions.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, submitForm } from '../../web/forms.js'

const INDEX_LABELS: Record<IndexName, string> = { wishes: '微心愿', projects: '慈善项目' }
const IndexParams = Type.Object({ index: Type.Enum(INDEX_NAMES) })
const SAMPLE = 200
const SynonymForm = formBody({ groups: Type.String({ maxLength: 20000, default: '' }) })

/** Synonym groups as an administrator types them: one group a line, words split by spaces, 、, ，, = or /. */
function parseGroups (text: string): string[][] {
  const groups = text.split(/\r?\n/).map(line => [...new Set(line.split(/[\s、，,=/]+/).map(word => word.trim()).filter(Boolean))]).filter(group => group.length > 0)
  const problems: string[] = []
  groups.forEach((group, i) => {
    if (group.length < 2) problems.push(`第 ${i + 1} 行只有一个词，同义词组至少要两个词`)
    if (group.length > 20) problems.push(`第 ${i + 1} 行超过 20 个词`)
    if (group.some(word => word.length > 20)) problems.push(`第 ${i + 1} 行有超过 20 个字的词`)
  })
  if (groups.length > 500) problems.push('同义词组最多 500 行')
  if (problems.length > 0) throw invalid([{ field: 'body.groups', code: 'synonyms', message: problems.slice(0, 3).join('；') }])
  return groups
}

const reportCard = (report: ConsistencyReport & { queued?: number[] }) => ({
  ...report, label: INDEX_LABELS[report.index], problems: report.missing.length + report.stale.length + report.different.length
})

export const adminSearchPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  /** The page, with one index's synonyms in the form (`editing`). */
  const searchPage = async (request: FastifyRequest, extra: { report?: ReturnType<typeof reportCard> } = {}, editing: IndexName = 'wishes') => {
    const status = await indexStatus(app.db, app.meili, app.config.searchPrefix)
    const synonyms = await Promise.all(INDEX_NAMES.map(async index => {
      const groups = await synonymGroups(app.db, index)
      return { index, label: INDEX_LABELS[index], builtIn: groups === DEFAULT_SYNONYMS[index], text: groups.map(group => group.join(' ')).join('\n') }
    }))
    return {
      title: '搜索', tab: 'search', breadcrumbs: [{ label: '系统管理', href: '/admin' }, { label: '搜索' }],
      indexes: status.indexes.map(i => ({ ...i, label: INDEX_LABELS[i.index] })),
      synonyms: synonyms.map(s => ({ ...s, editing: s.index === editing })), editing: { index: editing, label: INDEX_LABELS[editing] },
      canManage: authorize(request.principal, 'search.manage'), sample: SAMPLE, ...extra,
      form: blankForm({ groups: synonyms.find(s => s.index === editing)?.text ?? '' })
    }
  }

  const SearchQuery = Type.Object({ synonyms: Type.Optional(Type.Enum(INDEX_NAMES)) }, { additionalProperties: false })

  app.get('/admin/search', { config: { access: 'search.check' }, attachValidation: true, schema: { ...hide, querystring: SearchQuery } }, async (request, reply) => {
    return reply.page('admin/search', await searchPage(request, {}, request.validationError ? undefined : request.query.synonyms))
  })

  app.get('/admin/search/:index/check', { config: { access: 'search.check' }, schema: { ...hide, params: IndexParams } }, async (request, reply) => {
    const report = await checkConsistency(app.db, app.meili, app.config.searchPrefix, request.params.index, SAMPLE)
    return reply.page('admin/search', await searchPage(request, { report: reportCard(report) }))
  })

  app.post('/admin/search/:index/repair', { config: { access: 'search.manage' }, schema: { ...hide, params: IndexParams } }, async (request, reply) => {
    const report = await repairIndex(request, request.params.index, SAMPLE)
    return reply.page('admin/search', await searchPage(request, { report: reportCard(report) }))
  })

  app.post('/admin/search/:index/reindex', { config: { access: 'search.manage' }, schema: { ...hide, params: IndexParams } }, async (request, reply) => {
    return actOrSayWhy(request, reply, '/admin/search', async () => {
      const { jobId } = await queueReindex(request, request.params.index)
      setFlash(request, reply, 'success', `已开始重建“${INDEX_LABELS[request.params.index]}”索引（任务 ${jobId}）。重建期间搜索照常可用，完成后刷新本页查看文档数。`)
      return reply.redirect('/admin/search', 303)
    })
  })

  app.post('/admin/search/:index/synonyms', { config: { access: 'search.manage' }, attachValidation: true, schema: { ...hide, params: IndexParams, body: SynonymForm } }, async (request, reply) => {
    const { index } = request.params
    return submitForm(request, reply, { view: 'admin/search', data: async () => { const { form: _blank, ...page } = await searchPage(request, {}, index); return page }, labels: { groups: '同义词' } }, async () => {
      const groups = await setSynonyms(request, index, parseGroups(request.body.groups))
      setFlash(request, reply, 'success', `“${INDEX_LABELS[index]}”的同义词已保存（${groups.groups.length} 组），搜索马上按新的同义词查找。`)
      return reply.redirect(`/admin/search?synonyms=${index}`, 303)
    })
  })
}
