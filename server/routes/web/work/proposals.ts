// The confirmation queue of charity projects' proposals, for civil-affairs staff of the region:
// the projects with proposals, and per project each proposal with its score explained factor by
// factor and the weights used, the duplicate-assistance check confirming would make (the help
// already given: what, when, by whom), confirm or reject one or many at once — an override of a
// duplicate warning needs a reason and is audited as its own action (match.confirm_override) —
// and what became of confirmed help (delivered, received, evidence), with the household's
// receipt recorded here. The staff steps and the scope of /api/v1/proposals.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { formBody } from '../../../auth/csrf.js'
import { authorize } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { AppError } from '../../../http/errors.js'
import { ensureMayFollowProject, projectReach, proposalScope } from '../../../proposals/access.js'
import { afterwards, duplicatePreviews, projectsInQueue, type GivenHelp } from '../../../proposals/queue.js'
import { fulfilmentView } from '../../../proposals/fulfil.js'
import { confirmMany, recordReceipt, rejectMany } from '../../../proposals/staff-steps.js'
import { listProposals } from '../../../proposals/views.js'
import { headNames } from '../../../registry/households.js'
import { regionNames } from '../../../registry/regions.js'
import { CalendarDate } from '../../../schemas/household.js'
import { IdParams } from '../../../schemas/needs.js'
import { getProject } from '../../../supply/projects.js'
import { setFlash } from '../../../web/flash.js'
import { blankForm, plainMessage, submitForm, type FormState } from '../../../web/forms.js'
import { fullDate, yuan } from '../../../web/format.js'
import { nestedForm, rowsWith } from '../../../web/nested-form.js'
import { pagination } from '../../../web/pagination.js'
import { FULFILMENT_STATE_NAMES, helpName, nameOf, PROPOSAL_STATUS_NAMES } from '../../../web/work-names.js'
import { withQuery, workRegion } from './context.js'

const PER_PAGE = 30
const STATUSES = ['open', 'confirmed', 'rejected'] as const
const STATUS_TABS: Record<typeof STATUSES[number], string> = { open: '待确认', confirmed: '已确认', rejected: '不予确认' }

/** The score's factors (matching/score.ts SCORE_FACTORS) in words. */
const FACTOR_NAMES: Record<string, string> = {
  severity: '困难程度（认定类别）', hardship: '困难情形', income_gap: '收入低于标准的程度', little_recent_help: '近 12 个月受助较少',
  waiting: '等待时间', proximity: '离项目机构的远近', donor_fit: '符合出资人意向', urgency: '紧迫程度'
}
/** The duplicate windows (matching/duplicate-help.ts) in words. */
const RULE_NAMES: Record<string, string> = {
  dream_room_36_months: '36 个月内已有梦想小屋改造', winter_clothing_same_season: '同一季节已发过冬衣', fund_12_months: '12 个月内已获同类慈善基金资助'
}

const ListQuery = Type.Object({
  status: Type.Enum(STATUSES, { default: 'open' }),
  page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 })
}, { additionalProperties: false })
const OverrideReason = Type.String({ minLength: 4, maxLength: 500 })
const RejectReason = Type.String({ minLength: 2, maxLength: 500 })
const DecideForm = formBody({
  decision: Type.Enum(['confirm', 'reject']),
  items: Type.Array(Type.Object({ id: Type.Integer({ minimum: 1 }), overrideReason: Type.Optional(OverrideReason) }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
  reason: Type.Optional(RejectReason)
})
const DECIDE_LABELS = { decision: '办理方式', items: '要办理的推荐（请先勾选）', 'items.*': '勾选的第{n}条', 'items.*.id': '勾选的第{n}条', 'items.*.overrideReason': '仍要确认的理由', reason: '不予确认的理由' }
const ReceivedForm = formBody({ on: Type.Optional(CalendarDate) })

/** Only the rows whose box was ticked (an override reason typed beside an unticked one is not a decision). */
async function tickedOnly (request: FastifyRequest): Promise<void> {
  rowsWith(request.body, 'items', ['id'])
}

/** A refusal's message in plain Chinese: its rule named in words and its dates written out. */
const inWords = (message: string): string =>
  plainMessage(message).replace(/[a-z][a-z0-9]*(_[a-z0-9]+)+/g, id => RULE_NAMES[id] ?? id).replace(/\d{4}-\d{2}-\d{2}/g, day => fullDate(day))

const helpText = (h: GivenHelp) => `${fullDate(h.on)} ${h.by ? `${h.by} ` : ''}${helpName(h.what)}${h.value ? `（${yuan(h.value)}）` : ''}${h.pending ? '，已承诺尚未签收' : ''}`

export const proposalPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/work/proposals', { config: { access: 'match.read' }, schema: hide }, async (request, reply) => {
    const region = await workRegion(request, 'match.read')
    const projects = await projectsInQueue(app.db, region.scope)
    return reply.page('work/proposals', {
      title: '帮扶推荐确认',
      breadcrumbs: [{ label: '工作台', href: '/work' }, { label: '帮扶推荐确认' }],
      region,
      projects: projects.map(p => ({ ...p, kindName: helpName(p.kind) }))
    })
  })

  /** A project's proposals of one status in the person's reach, the open ones with their duplicate check, the decided with what followed. */
  const projectPage = async (request: FastifyRequest, projectId: number, status: typeof STATUSES[number], page: number) => {
    const reach = await projectReach(app.db, projectId)
    ensureMayFollowProject(request.principal, reach)
    const scope = proposalScope(request.principal, reach)
    const asOf = today()
    const [project, region, inQueue] = await Promise.all([getProject(app.db, projectId), workRegion(request, 'match.read'), projectsInQueue(app.db, scope)])
    const counts = inQueue.find(p => p.id === projectId) ?? { open: 0, confirmed: 0, rejected: 0, awaitingReceipt: 0 }
    const proposals = await listProposals(app.db, projectId, scope, { status, limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
    const [duplicates, after, heads, places] = await Promise.all([
      status === 'open' ? duplicatePreviews(app.db, proposals, project, asOf) : Promise.resolve(new Map()),
      status === 'confirmed' ? afterwards(app.db, proposals.map(p => p.id)) : Promise.resolve(new Map()),
      headNames(app.db, proposals.map(p => p.householdId)),
      regionNames(app.db, proposals.flatMap(p => [p.regionCode, p.regionCode.slice(0, 9)]))
    ])
    const canDecide = authorize(request.principal, 'match.confirm')
    return (form: FormState) => {
      // What the form sent (shown again after an error): the ticked ids, their reasons, the errors by row.
      const sent = Array.isArray(form.values.items) ? form.values.items as Array<{ id?: unknown, overrideReason?: unknown }> : []
      return {
        title: `确认推荐：${project.title}`,
        breadcrumbs: [{ label: '帮扶推荐确认', href: '/work/proposals' }, { label: project.title }],
        region,
        project: { ...project, kindName: helpName(project.kind), available: yuan(project.available) },
        status,
        tabs: STATUSES.map(s => ({ href: `/work/proposals/${projectId}?status=${s}`, label: `${STATUS_TABS[s]}（${counts[s]}）`, current: s === status })),
        awaitingReceipt: counts.awaitingReceipt,
        canDecide: canDecide && status === 'open',
        canReceive: canDecide,
        form,
        proposals: proposals.map((p, index) => {
          const duplicate = duplicates.get(p.id)
          const row = sent.findIndex(item => Number(item.id) === p.id)
          const done = after.get(p.id)
          const factors = (p.explanation.factors ?? []).map(f => ({
            name: FACTOR_NAMES[f.factor ?? ''] ?? f.factor, value: typeof f.value === 'number' ? String(Math.round(f.value * 100) / 100) : f.value ?? '',
            normalised: (f.normalised ?? 0).toFixed(2), weight: (f.weight ?? 0).toFixed(2), contribution: (f.contribution ?? 0).toFixed(3)
          }))
          return {
            ...p,
            index,
            head: heads.get(p.householdId) ?? '',
            place: `${places.get(p.regionCode.slice(0, 9)) ?? ''} ${places.get(p.regionCode) ?? ''}`,
            cost: yuan(p.cost),
            score: p.score.toFixed(3),
            statusName: nameOf(PROPOSAL_STATUS_NAMES, p.status),
            factors,
            application: p.source === 'application',
            duplicate: duplicate?.verdict === 'duplicate' ? { rule: RULE_NAMES[duplicate.rule ?? ''] ?? duplicate.rule, help: duplicate.conflicting ? helpText(duplicate.conflicting) : '' } : null,
            complementary: (duplicate?.complementary ?? []).map(helpText),
            ticked: row >= 0,
            overrideReason: row >= 0 ? String(sent[row]?.overrideReason ?? '') : '',
            overrideError: row >= 0 ? form.errors[`items.${row}.overrideReason`] : undefined,
            afterwards: done ? {
              ...done, stateName: done.state ? nameOf(FULFILMENT_STATE_NAMES, done.state) : '尚未开始落实', dueOnText: done.dueOn ? fullDate(done.dueOn) : '',
              deliveredOnText: done.deliveredOn ? fullDate(done.deliveredOn) : '', receivedOnText: done.receivedOn ? fullDate(done.receivedOn) : '', canReceive: canDecide && done.state === 'delivered'
            } : null
          }
        }),
        receivedForm: blankForm({ on: asOf }),
        pages: pagination(page, Math.ceil(counts[status] / PER_PAGE), n => withQuery(`/work/proposals/${projectId}`, { status, page: n }))
      }
    }
  }

  app.get('/work/proposals/:id', { config: { access: 'match.read' }, attachValidation: true, schema: { ...hide, params: IdParams, querystring: ListQuery } }, async (request, reply) => {
    const query = request.validationError ? { status: 'open' as const, page: 1 } : request.query
    return reply.page('work/project-proposals', (await projectPage(request, request.params.id, query.status, query.page))(blankForm()))
  })

  app.post('/work/proposals/:id/decide', { config: { access: 'match.confirm' }, preValidation: [nestedForm, tickedOnly], attachValidation: true, schema: { ...hide, params: IdParams, body: DecideForm } }, async (request, reply) => {
    const projectId = request.params.id
    const page = await projectPage(request, projectId, 'open', 1)
    return submitForm(request, reply, { view: 'work/project-proposals', labels: DECIDE_LABELS, nested: true, data: async () => page(blankForm()) }, async () => {
      const { decision, items, reason } = request.body
      if (decision === 'reject' && reason === undefined) throw new AppError(400, 'validation_failed', '不予确认须写明理由', [{ field: 'body.reason', code: 'required', message: '请写明不予确认的理由（会告知项目机构）' }])
      const result = decision === 'confirm' ? await confirmMany(request, items) : await rejectMany(request, items.map(item => item.id), reason as string)
      const refused = result.results.flatMap(r => r.status === 'refused' ? [`第 ${r.id} 号：${inWords(r.error.message)}`] : [])
      if (result.decided > 0) setFlash(request, reply, 'success', decision === 'confirm' ? `已确认 ${result.decided} 条推荐，项目机构会开始落实。${items.some(i => i.overrideReason) ? '越过重复提示的理由已记入审计。' : ''}` : `已将 ${result.decided} 条推荐标为不予确认，理由已记录。`)
      if (refused.length > 0) setFlash(request, reply, 'error', `${refused.length} 条没有办理：${refused.join('；')}`)
      return reply.redirect(`/work/proposals/${projectId}`, 303)
    })
  })

  // The household's receipt of confirmed help (the proposal's id): written into the chain once.
  app.post('/work/proposals/:id/received', { config: { access: 'match.confirm' }, attachValidation: true, schema: { ...hide, params: IdParams, body: ReceivedForm } }, async (request, reply) => {
    const id = request.params.id
    const { projectId } = await fulfilmentView(app.db, id, today())
    return submitForm(request, reply, { view: 'work/project-proposals', labels: { on: '签收日期' }, as: 'receivedForm', data: async () => (await projectPage(request, projectId, 'confirmed', 1))(blankForm()) }, async () => {
      const written = await recordReceipt(request, id, request.body.on ?? today())
      setFlash(request, reply, 'success', written.appended ? '已登记家庭签收，这次帮扶已写入救助链。' : '这次签收之前已经登记过，救助链没有重复记录。')
      return reply.redirect(`/work/proposals/${projectId}?status=confirmed`, 303)
    })
  })
}
