// The rules administrators keep (/admin/policy, /admin/need-rules): each policy profile's
// parameters as dated versions — in force today, every day a version took effect, a new
// version with its effective date, and what changed between two versions — and which
// households of a region may have wishes and training vouchers. The same functions and rules as
// the API's twins (registry/parameters.ts, needs/rules.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { CATEGORIES, CATEGORY_NAMES, HOUSEHOLD_STATUSES, SCHOOL_STAGES } from '../../../matching/domain.js'
import { PARAMETER_KEYS, PROFILE_IDS, type ParameterKey, type ProfileId } from '../../../matching/policy/index.js'
import { authorize, ensureAllowed } from '../../auth/policy.js'
import { formBody } from '../../auth/csrf.js'
import { today } from '../../clock.js'
import { needRuleFor, setNeedRuleFor } from '../../needs/rules.js'
import { addParameterVersionFor, parameterDiff, profileHistory, profilesInForce } from '../../registry/parameters.js'
import { CalendarDate } from '../../schemas/household.js'
import { NeedRuleSchema } from '../../schemas/needs.js'
import { ParameterVersionBody } from '../../schemas/policy.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, plainMessage, submitForm } from '../../web/forms.js'
import { HOUSEHOLD_STATUS_NAMES, SCHOOL_STAGE_NAMES } from '../../web/names.js'
import { regionChoices } from '../../web/region-choices.js'

const ProfileParams = Type.Object({ profile: Type.Enum(PROFILE_IDS) })
const DiffQuery = Type.Object({ from: Type.Optional(CalendarDate), to: Type.Optional(CalendarDate) }, { additionalProperties: false })
const VersionForm = formBody(ParameterVersionBody.properties)
const VERSION_LABELS = { key: '参数', value: '取值', effectiveFrom: '生效日期', note: '依据' }
/** The API's rule, each list empty when nothing is ticked (a form sends nothing for an empty group). */
const NeedRuleForm = formBody(Object.fromEntries(Object.entries(NeedRuleSchema.properties).map(([key, list]) => [key, Type.Array(list.items, { uniqueItems: true, default: [] })])) as typeof NeedRuleSchema.properties)
const RULE_LABELS = { wishCategories: '可以提出微心愿的类别', wishStatuses: '可以提出微心愿的家庭状态', voucherCategories: '可以领取培训券的类别', voucherSchoolStages: '可以领取培训券的在学阶段' }
const RegionParams = Type.Object({ regionCode: Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' }) })

const keyName = (key: string) => plainMessage(PARAMETER_KEYS[key as ParameterKey]?.description ?? key)
const valueText = (key: string, value: number | undefined) => value === undefined ? '—' : `${value.toLocaleString('en-US')} ${PARAMETER_KEYS[key as ParameterKey]?.unit ?? ''}`.trim()

export const adminRulePages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/admin/policy', { config: { access: 'parameter.read' }, schema: hide }, async (_request, reply) => {
    const profiles = await profilesInForce(app.db, today())
    return reply.page('admin/policy', {
      title: '政策参数', tab: 'policy', breadcrumbs: [{ label: '系统管理', href: '/admin' }, { label: '政策参数' }],
      profiles: profiles.map(p => ({ ...p, demoCount: p.parameters.filter(x => x.demo).length, staffCount: p.staffVersions.length }))
    })
  })

  const profilePage = async (request: FastifyRequest, profile: ProfileId, query: { from?: string, to?: string }) => {
    const asOf = today()
    const [inForce] = (await profilesInForce(app.db, asOf)).filter(p => p.id === profile)
    const history = await profileHistory(app.db, profile)
    const days = history.map(h => h.effectiveFrom)
    const from = query.from ?? days[1] ?? days[0] ?? asOf
    const to = query.to ?? days[0] ?? asOf
    const diff = await parameterDiff(app.db, profile, from, to)
    return {
      title: `政策参数：${inForce?.title ?? profile}`, tab: 'policy',
      breadcrumbs: [{ label: '系统管理', href: '/admin' }, { label: '政策参数', href: '/admin/policy' }, { label: inForce?.title ?? profile }],
      profile: inForce, asOf,
      parameters: (inForce?.parameters ?? []).map(p => ({ ...p, name: keyName(p.key), valueText: valueText(p.key, p.value) })),
      history: history.map(h => ({ ...h, versions: h.versions.map(v => ({ ...v, name: keyName(v.key), valueText: valueText(v.key, v.value) })) })),
      days: days.map(day => ({ code: day, name: day })),
      diff: { ...diff, changes: diff.changes.map(c => ({ ...c, name: keyName(c.key), beforeText: valueText(c.key, c.before?.value), afterText: valueText(c.key, c.after?.value) })), changed: diff.changes.filter(c => c.changed).length },
      diffQuery: { from, to },
      canManage: authorize(request.principal, 'parameter.manage'),
      keys: (inForce?.parameters ?? []).map(p => ({ code: p.key, name: `${keyName(p.key)}（${p.unit}）` }))
    }
  }

  app.get('/admin/policy/:profile', { config: { access: 'parameter.read' }, attachValidation: true, schema: { ...hide, params: ProfileParams, querystring: DiffQuery } }, async (request, reply) => {
    const query = request.validationError?.validationContext === 'querystring' ? {} : request.query
    return reply.page('admin/profile', { ...await profilePage(request, request.params.profile, query), form: blankForm({ effectiveFrom: today() }) })
  })

  app.post('/admin/policy/:profile/parameters', { config: { access: 'parameter.manage' }, attachValidation: true, schema: { ...hide, params: ProfileParams, body: VersionForm } }, async (request, reply) => {
    const { profile } = request.params
    return submitForm(request, reply, { view: 'admin/profile', data: () => profilePage(request, profile, {}), labels: VERSION_LABELS }, async () => {
      const { _csrf: _token, ...version } = request.body
      const created = await addParameterVersionFor(request, profile, version)
      setFlash(request, reply, 'success', `已新增“${keyName(created.key)}”的版本：${valueText(created.key, created.value)}，自 ${created.effectiveFrom} 起施行。此前的认定结果不受影响；生效后，系统会按新参数重新认定。`)
      return reply.redirect(`/admin/policy/${profile}?to=${created.effectiveFrom}`, 303)
    })
  })

  // —— Need rules ——
  const RuleQuery = Type.Object({ regionCode: Type.Optional(RegionParams.properties.regionCode) }, { additionalProperties: false })

  const rulesPage = async (request: FastifyRequest, regionCode: string | undefined) => {
    const regions = await regionChoices(app.db)
    const chosen = regionCode ?? regions[0]?.code
    const rule = chosen ? await needRuleFor(app.db, chosen) : undefined
    if (chosen) ensureAllowed(request.principal, 'need.read', { regionCode: chosen })
    return {
      title: '需求范围', tab: 'need-rules', breadcrumbs: [{ label: '系统管理', href: '/admin' }, { label: '需求范围' }],
      regions, regionCode: chosen, regionName: regions.find(r => r.code === chosen)?.name, rule,
      ruleSource: rule?.source ? regions.find(r => r.code === rule.source)?.name ?? rule.source : null,
      canManage: chosen !== undefined && authorize(request.principal, 'need.configure', { regionCode: chosen }),
      ruleText: rule && [
        { label: RULE_LABELS.wishCategories, text: rule.wishCategories.map(c => CATEGORY_NAMES[c]).join('、') || '无' },
        { label: RULE_LABELS.wishStatuses, text: rule.wishStatuses.map(s => HOUSEHOLD_STATUS_NAMES[s]).join('、') || '无' },
        { label: RULE_LABELS.voucherCategories, text: rule.voucherCategories.map(c => CATEGORY_NAMES[c]).join('、') || '不发放' },
        { label: RULE_LABELS.voucherSchoolStages, text: rule.voucherSchoolStages.map(s => SCHOOL_STAGE_NAMES[s]).join('、') || '无' }
      ],
      categories: CATEGORIES.map(code => ({ code, name: CATEGORY_NAMES[code] })),
      statuses: HOUSEHOLD_STATUSES.map(code => ({ code, name: HOUSEHOLD_STATUS_NAMES[code] })),
      stages: SCHOOL_STAGES.filter(s => s !== 'none').map(code => ({ code, name: SCHOOL_STAGE_NAMES[code] }))
    }
  }

  app.get('/admin/need-rules', { config: { access: 'need.read' }, attachValidation: true, schema: { ...hide, querystring: RuleQuery } }, async (request, reply) => {
    const page = await rulesPage(request, request.validationError ? undefined : request.query.regionCode)
    return reply.page('admin/need-rules', { ...page, form: blankForm(page.rule ?? {}) })
  })

  app.post('/admin/need-rules/:regionCode', { config: { access: 'need.configure' }, attachValidation: true, schema: { ...hide, params: RegionParams, body: NeedRuleForm } }, async (request, reply) => {
    const { regionCode } = request.params
    return submitForm(request, reply, { view: 'admin/need-rules', data: () => rulesPage(request, regionCode), labels: RULE_LABELS }, async () => {
      const { _csrf: _token, ...rule } = request.body as typeof request.body & { _csrf?: string }
      await setNeedRuleFor(request, regionCode, rule)
      setFlash(request, reply, 'success', '需求范围已保存，之后提出的微心愿和发放的培训券按新范围办理。')
      return reply.redirect(`/admin/need-rules?regionCode=${regionCode}`, 303)
    })
  })
}
