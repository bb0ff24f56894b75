// Registering a household, changing one, and reclassifying it — each form posts the API's
// own body (RegistryHousehold, HouseholdChanges; fields named by path, see nested-form.ts) to
// the staff steps the API calls, with each error beside its field. Changes and reclassifying
// can be tried first: the same registry functions run and are taken back (registry/dry-run.ts),
// so the page shows what saving would change, and why, before anything is stored.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { HARDSHIP_NAMES } from '../../../../matching/domain.js'
import { formBody } from '../../../auth/csrf.js'
import { regionScopeFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { getHousehold } from '../../../registry/households.js'
import { placesWithin } from '../../../registry/regions.js'
import type { Outcome } from '../../../registry/dry-run.js'
import { changeHousehold, previewReclassify, reclassify, registerHousehold, tryChanges } from '../../../registry/staff-steps.js'
import { HouseholdChanges, RegistryHousehold, type HouseholdDetail, type ReclassificationPreview } from '../../../schemas/household.js'
import { IdParams } from '../../../schemas/needs.js'
import { explainDecision } from '../../../web/explain-decision.js'
import { setFlash } from '../../../web/flash.js'
import { fieldsOf, labelsOf, listRows, type FieldSpec } from '../../../web/form-fields.js'
import { blankForm, submitForm, type FormState } from '../../../web/forms.js'
import { fullDate } from '../../../web/format.js'
import { nestedForm, rowsWith } from '../../../web/nested-form.js'
import { categoryName, DISABILITY_KIND_NAMES, LABOR_NAMES, LEAVING_NAMES, nameOf, RELATION_NAMES, SCHOOL_NAMES, STATUS_NAMES } from '../../../web/work-names.js'
import { recordedDeaths } from '../../../monitoring/deaths.js'

const YES_NO = { true: '是', false: '否' }
/** Yes or no where no is the default: no empty choice. */
const NO_YES = { false: '否', true: '是' }
const HAVE = { true: '有', false: '无' }
const LEVELS = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' }

/** A member's facts, on registration and when changed. */
const FACTS: FieldSpec[] = [
  { name: 'relation', label: '与户主关系', choices: RELATION_NAMES, blank: '请选择' },
  { name: 'laborCapacity', label: '劳动能力', choices: LABOR_NAMES, blank: '请选择' },
  { name: 'hasIncomeSource', label: '有无收入来源', choices: HAVE, blank: '未填（按“有”）', hint: '特困须明确填“无”。' },
  { name: 'hasAbleSupporter', label: '有无能履行义务的赡养人', choices: HAVE, blank: '未填（按“有”）' },
  { name: 'disability.level', label: '残疾等级', choices: LEVELS, blank: '无残疾' },
  { name: 'disability.kind', label: '残疾类别', choices: DISABILITY_KIND_NAMES, blank: '（有残疾时选择）' },
  { name: 'seriousIllness', label: '是否患重病', choices: NO_YES },
  { name: 'schoolStage', label: '在学阶段', choices: SCHOOL_NAMES, blank: '不在学' },
  { name: 'employed', label: '是否就业', choices: NO_YES }
]
/** A new member: who they are, then their facts. */
const NEW_MEMBER: FieldSpec[] = [
  { name: 'name', label: '姓名', maxlength: 50 },
  { name: 'idNumber', label: '身份证号', maxlength: 20, hint: '18 位，出生日期和性别由号码读出。' },
  ...FACTS,
  { name: 'illness', label: '所患重病名称（选填）', maxlength: 100 }
]
/** A current member whose facts change (by id). */
const MEMBER_CHANGE: FieldSpec[] = [{ name: 'id', label: '成员', type: 'hidden' }, ...FACTS.map(spec => spec.name === 'disability.level' ? { ...spec, choices: { none: '无残疾', ...LEVELS }, blank: '不变' } : spec)]
const LEAVING: FieldSpec[] = [
  { name: 'id', label: '成员', type: 'hidden' },
  { name: 'reason', label: '离开原因', choices: LEAVING_NAMES, blank: '仍在本户' },
  { name: 'on', label: '离开日期', type: 'date' }
]

const FACTS_OF_HOUSEHOLD: FieldSpec[] = [
  { name: 'address', label: '家庭住址', maxlength: 200, hint: '加密保存。' },
  { name: 'phone', label: '联系电话', type: 'tel', inputmode: 'tel', maxlength: 11 },
  { name: 'annualIncome', label: '家庭年收入（元）', inputmode: 'decimal', maxlength: 12, hint: '扣除就业成本前的全年总收入。' },
  { name: 'rigidExpenses.medical', label: '医疗支出（元/年）', inputmode: 'decimal', maxlength: 12 },
  { name: 'rigidExpenses.education', label: '教育支出（元/年）', inputmode: 'decimal', maxlength: 12 },
  { name: 'previousAnnualIncome', label: '上年家庭年收入（元，选填）', inputmode: 'decimal', maxlength: 12 },
  { name: 'propertyCompliant', label: '家庭财产是否符合规定', choices: YES_NO, blank: '请选择' },
  { name: 'propertyCheckedOn', label: '经济状况核对日期（选填）', type: 'date' },
  { name: 'povertyMonitoring', label: '防止返贫监测对象', choices: NO_YES },
  { name: 'status', label: '状态', choices: STATUS_NAMES, blank: '在册（默认）' },
  { name: 'statusSince', label: '状态开始日期（选填）', type: 'date' },
  { name: 'gradualExitUntil', label: '渐退期截止日期（渐退期必填）', type: 'date' },
  { name: 'caseByCase', label: '已由文件规定的机关个案认定为其他困难人员', choices: NO_YES }
]

const REGISTER_LABELS = {
  ...labelsOf([{ name: 'regionCode', label: '村（社区）' }, ...FACTS_OF_HOUSEHOLD, { name: 'hardships', label: '困难情形' }, { name: 'rigidExpenses', label: '刚性支出' }],
    { members: { label: '家庭成员', row: '第{n}位成员', specs: [...NEW_MEMBER, { name: 'disability', label: '残疾情况' }] } })
}
const CHANGE_LABELS = {
  ...labelsOf([...FACTS_OF_HOUSEHOLD, { name: 'incomeChangedOn', label: '新收入开始日期' }, { name: 'hardships', label: '困难情形' }, { name: 'rigidExpenses', label: '刚性支出' }], {
    members: { label: '家庭成员', row: '第{n}位成员', specs: [...MEMBER_CHANGE, { name: 'disability', label: '残疾情况' }] },
    removeMembers: { label: '离开的成员', row: '第{n}位离开的成员', specs: LEAVING },
    addMembers: { label: '新增成员', row: '第{n}位新成员', specs: [...NEW_MEMBER, { name: 'disability', label: '残疾情况' }] }
  })
}

const RegisterForm = formBody(RegistryHousehold.properties)
const ChangeForm = formBody(HouseholdChanges.properties)
const RowsQuery = Type.Object({ rows: Type.Integer({ minimum: 1, maximum: 30, default: 3 }) }, { additionalProperties: false })
const ReclassifyQuery = Type.Object({ asOf: Type.Optional(Type.String({ format: 'date' })) }, { additionalProperties: false })
const ReclassifyForm = formBody({ asOf: Type.Optional(Type.String({ format: 'date' })) })

/** "无残疾" on a change form removes a recorded disability (the API's null). */
async function noDisability (request: FastifyRequest): Promise<void> {
  const body = request.body as { members?: Array<{ disability?: { level?: unknown } | null }> } | undefined
  for (const member of body?.members ?? []) if (member?.disability?.level === 'none') member.disability = null
  rowsWith(body, 'removeMembers', ['reason', 'on'])
  // The blank new-member row still posts its yes/no choices (重病, 就业: 否 by default): it is a new member only with a name or an ID number.
  rowsWith(body, 'addMembers', ['name', 'idNumber'])
}

/** The household as the change form starts: its facts and each member's, as the form posts them. */
function changeValues (h: HouseholdDetail): Record<string, unknown> {
  return {
    address: '', phone: '',
    annualIncome: h.annualIncome, rigidExpenses: h.rigidExpenses, previousAnnualIncome: h.previousAnnualIncome ?? '',
    propertyCompliant: h.propertyCompliant, propertyCheckedOn: h.propertyCheckedOn ?? '', povertyMonitoring: h.povertyMonitoring,
    hardships: h.hardships, status: h.status, statusSince: h.statusSince, gradualExitUntil: h.gradualExitUntil ?? '',
    members: h.members.map(m => ({
      id: m.id, relation: m.relation, laborCapacity: m.laborCapacity, hasIncomeSource: m.hasIncomeSource, hasAbleSupporter: m.hasAbleSupporter,
      disability: m.disability ?? undefined, seriousIllness: m.seriousIllness, schoolStage: m.schoolStage, employed: m.employed
    })),
    removeMembers: h.members.map(m => ({ id: m.id }))
  }
}

/** A dry run's outcome as the page shows it: what changes, and the decision explained. */
function outcomeView (outcome: Outcome) {
  const { before, after, decision } = outcome
  const changes = [
    before.category !== after.category ? `认定类别：${categoryName(before.category)} → ${categoryName(after.category)}` : undefined,
    before.status !== after.status ? `状态：${nameOf(STATUS_NAMES, before.status)} → ${nameOf(STATUS_NAMES, after.status)}` : undefined,
    before.gradualExitUntil !== after.gradualExitUntil ? `渐退期截止：${before.gradualExitUntil ? fullDate(before.gradualExitUntil) : '无'} → ${after.gradualExitUntil ? fullDate(after.gradualExitUntil) : '无'}` : undefined,
    before.memberCount !== after.memberCount ? `成员：${before.memberCount} 人 → ${after.memberCount} 人` : undefined
  ].filter((line): line is string => line !== undefined)
  return {
    before: { category: categoryName(before.category), status: nameOf(STATUS_NAMES, before.status) },
    after: { category: categoryName(after.category), status: nameOf(STATUS_NAMES, after.status), gradualExitUntil: after.gradualExitUntil },
    changes,
    decision: explainDecision(decision)
  }
}

const COMPARED_FIELDS: Record<ReclassificationPreview['comparison']['changes'][number]['field'], [string, (value: string | number) => string]> = {
  category: ['认定类别', value => categoryName(String(value))],
  status: ['状态', value => nameOf(STATUS_NAMES, String(value))],
  gradualExitUntil: ['渐退期截止', value => fullDate(String(value))],
  profileVersion: ['参数版本', String],
  perCapitaMonthlyIncome: ['核算人均月收入', value => `${value} 元`]
}

/**
 * A reclassification preview as the page shows it: the comparison the API answers
 * (matching/policy/compare.ts), its household-level lines in the page's words and each
 * member named by place and relation as in the member table, and the decision explained.
 */
function previewView (preview: ReclassificationPreview, household: HouseholdDetail) {
  const { current, next, comparison } = preview
  const worded = (field: keyof typeof COMPARED_FIELDS, value: string | number | null) => value === null ? '无' : COMPARED_FIELDS[field][1](value)
  const place = new Map(household.members.map((m, i) => [m.id, `成员 ${i + 1}（${nameOf(RELATION_NAMES, m.relation)}）`]))
  return {
    before: current === null
      ? { category: '尚未认定', status: nameOf(STATUS_NAMES, household.status) }
      : { category: categoryName(current.category), status: nameOf(STATUS_NAMES, current.status) },
    after: { category: categoryName(next.category), status: nameOf(STATUS_NAMES, next.status), gradualExitUntil: next.gradualExitUntil },
    changes: [
      ...comparison.changes.map(c => `${COMPARED_FIELDS[c.field][0]}：${worded(c.field, c.from)} → ${worded(c.field, c.to)}`),
      ...comparison.members.map(m => `${place.get(m.personId) ?? '已不在本户的成员'}：${m.says}`)
    ],
    decision: explainDecision(next)
  }
}

export const householdFormPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  const registerPage = async (request: FastifyRequest, rows: number) => {
    const scope = regionScopeFor(request.principal, 'household.write')
    const { villages, towns } = await placesWithin(app.db, scope.regionPrefix)
    const townName = new Map(towns.map(t => [t.code, t.name]))
    return (form: FormState) => ({
      title: '登记家庭',
      breadcrumbs: [{ label: '低收入家庭', href: '/work/households' }, { label: '登记家庭' }],
      form,
      region: fieldsOf(form, [{ name: 'regionCode', label: '村（社区）', choices: Object.fromEntries(villages.map(v => [v.code, `${townName.get(v.town) ?? ''} ${v.name}`])), blank: '请选择' }]).regionCode,
      facts: fieldsOf(form, FACTS_OF_HOUSEHOLD),
      hardships: Object.entries(HARDSHIP_NAMES).map(([code, name]) => ({ code, name, checked: Array.isArray(form.values.hardships) && (form.values.hardships as string[]).includes(code) })),
      members: listRows(form, 'members', NEW_MEMBER, rows),
      moreRows: Math.min(30, rows + 3)
    })
  }

  app.get('/work/households/new', { config: { access: 'household.write' }, attachValidation: true, schema: { ...hide, querystring: RowsQuery } }, async (request, reply) => {
    const rows = request.validationError ? 3 : request.query.rows
    return reply.page('work/household-register', (await registerPage(request, rows))(blankForm({ members: [{ relation: 'head' }] })))
  })

  app.post('/work/households', { config: { access: 'household.write' }, preValidation: nestedForm, attachValidation: true, schema: { ...hide, body: RegisterForm } }, async (request, reply) => {
    const page = await registerPage(request, 1)
    return submitForm(request, reply, { view: 'work/household-register', labels: REGISTER_LABELS, nested: true, data: async () => page(blankForm()) }, async () => {
      const { _csrf: _token, ...input } = request.body
      const household = await registerHousehold(request, input)
      setFlash(request, reply, 'success', `已登记家庭（第 ${household.id} 号），认定为${categoryName(household.category)}。认定依据见下方。`)
      return reply.redirect(`/work/households/${household.id}`, 303)
    })
  })

  const changePage = async (request: FastifyRequest, id: number) => {
    const household = await getHousehold(app.db, regionScopeFor(request.principal, 'household.write'), id)
    const deaths = await recordedDeaths(app.db, household.members.map(m => m.id))
    return (form: FormState, preview?: ReturnType<typeof outcomeView>) => ({
      title: `修改家庭情况：${household.externalKey ?? `#${household.id}`}`,
      breadcrumbs: [{ label: '低收入家庭', href: '/work/households' }, { label: household.externalKey ?? `#${household.id}`, href: `/work/households/${id}` }, { label: '修改' }],
      household,
      form,
      preview,
      facts: fieldsOf(form, FACTS_OF_HOUSEHOLD),
      incomeChangedOn: fieldsOf(form, [{ name: 'incomeChangedOn', label: '新收入开始日期（选填）', type: 'date', hint: '收入超过标准时，渐退期自其次月起算（南浔 三(一)）。' }]).incomeChangedOn,
      hardships: Object.entries(HARDSHIP_NAMES).map(([code, name]) => ({ code, name, checked: Array.isArray(form.values.hardships) && (form.values.hardships as string[]).includes(code) })),
      members: household.members.map((m, index) => ({ ...m, index, number: index + 1, died: deaths.get(m.id), fields: fieldsOf(form, MEMBER_CHANGE.map(spec => ({ ...spec, name: `members.${index}.${spec.name}` })), `members.${index}.`) })),
      leaving: household.members.map((m, index) => ({ ...m, index, died: deaths.get(m.id), fields: fieldsOf(form, LEAVING.map(spec => ({ ...spec, name: `removeMembers.${index}.${spec.name}` })), `removeMembers.${index}.`) })),
      joining: listRows(form, 'addMembers', NEW_MEMBER, 1)
    })
  }

  app.get('/work/households/:id/edit', { config: { access: 'household.write' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const page = await changePage(request, request.params.id)
    const household = await getHousehold(app.db, regionScopeFor(request.principal, 'household.write'), request.params.id)
    return reply.page('work/household-edit', page(blankForm(changeValues(household))))
  })

  app.post('/work/households/:id/edit', { config: { access: 'household.write' }, preValidation: [nestedForm, noDisability], attachValidation: true, schema: { ...hide, params: IdParams, body: ChangeForm } }, async (request, reply) => {
    const id = request.params.id
    const page = await changePage(request, id)
    return submitForm(request, reply, { view: 'work/household-edit', labels: CHANGE_LABELS, nested: true, data: async () => page(blankForm()) }, async () => {
      const { _csrf: _token, ...changes } = request.body
      const household = await changeHousehold(request, id, changes)
      setFlash(request, reply, 'success', `已保存，并按新情况重新认定为${categoryName(household.category)}。`)
      return reply.redirect(`/work/households/${id}#decision`, 303)
    })
  })

  // "先试算": the same body, taken back; the form comes again with what saving would do.
  app.post('/work/households/:id/preview', { config: { access: 'household.write' }, preValidation: [nestedForm, noDisability], attachValidation: true, schema: { ...hide, params: IdParams, body: ChangeForm } }, async (request, reply) => {
    const id = request.params.id
    const page = await changePage(request, id)
    return submitForm(request, reply, { view: 'work/household-edit', labels: CHANGE_LABELS, nested: true, data: async () => page(blankForm()) }, async () => {
      const { _csrf: _token, ...changes } = request.body
      const outcome = await tryChanges(request, id, changes)
      return reply.page('work/household-edit', page(blankForm(request.body as Record<string, unknown>), outcomeView(outcome)))
    })
  })

  const reclassifyPage = async (request: FastifyRequest, id: number, asOf: string) => {
    const preview = await previewReclassify(request, id, asOf)
    const household = await getHousehold(app.db, regionScopeFor(request.principal, 'household.write'), id, asOf)
    const key = household.externalKey ?? `#${id}`
    return {
      title: `重新认定：家庭 ${key}`,
      breadcrumbs: [{ label: '低收入家庭', href: '/work/households' }, { label: key, href: `/work/households/${id}` }, { label: '重新认定' }],
      household,
      asOf,
      asOfText: fullDate(asOf),
      preview: previewView(preview, household),
      form: blankForm({ asOf })
    }
  }

  app.get('/work/households/:id/reclassify', { config: { access: 'household.write' }, attachValidation: true, schema: { ...hide, params: IdParams, querystring: ReclassifyQuery } }, async (request, reply) => {
    const asOf = (request.validationError ? undefined : request.query.asOf) ?? today()
    return reply.page('work/household-reclassify', await reclassifyPage(request, request.params.id, asOf))
  })

  app.post('/work/households/:id/reclassify', { config: { access: 'household.write' }, attachValidation: true, schema: { ...hide, params: IdParams, body: ReclassifyForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/household-reclassify', labels: { asOf: '认定日期' }, data: () => reclassifyPage(request, id, today()) }, async () => {
      const decision = await reclassify(request, id, request.body.asOf ?? today())
      setFlash(request, reply, 'success', `已重新认定为${categoryName(decision.category)}，记入认定记录。`)
      return reply.redirect(`/work/households/${id}#decision`, 303)
    })
  })
}
