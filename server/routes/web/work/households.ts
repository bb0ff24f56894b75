// The registry for civil-affairs staff: households of their region, filtered and found by ID
// number through the blind index (names masked in the list); a household's page — members
// masked until the audited "show personal data", the category decision explained step by
// step, the assistance chain as a timeline, its open help — and government help appended to
// the chain or corrected by a reversal. The same domain functions and access rules as
// /api/v1/households and /api/v1/households/:id/assistance.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { CATEGORIES, CATEGORY_NAMES, HARDSHIP_NAMES, HARDSHIPS, HOUSEHOLD_STATUSES } from '../../../../matching/domain.js'
import { auditPiiRead } from '../../../audit/pii-read.js'
import { formBody } from '../../../auth/csrf.js'
import { authorize, regionScopeFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { listStaffRooms } from '../../../dream-rooms/views.js'
import { recordedDeaths } from '../../../monitoring/deaths.js'
import { listWishes, OPEN_STATES } from '../../../needs/wishes.js'
import { proposalsOfHousehold } from '../../../proposals/queue.js'
import { entryHousehold } from '../../../registry/assistance.js'
import { assistanceChain, decisionHistory } from '../../../registry/decisions.js'
import { getHousehold, headNames, listHouseholds, readHouseholdPii } from '../../../registry/households.js'
import { regionNames } from '../../../registry/regions.js'
import { appendGovernmentHelp, readDecisions, reverseEntry } from '../../../registry/staff-steps.js'
import { CalendarDate, NewAssistanceSchema, ReversalRequestSchema, type AssistanceEntry, type ChainStanding, type HouseholdPii, type MemberSummary, type PersonOutcome } from '../../../schemas/household.js'
import { IdParams } from '../../../schemas/needs.js'
import { halfYearLabel } from '../../../vouchers/half-year.js'
import { listVouchers } from '../../../vouchers/views.js'
import { chineseOnly, citation, explainDecision } from '../../../web/explain-decision.js'
import { setFlash } from '../../../web/flash.js'
import { daysLeft, dateTime, fullDate, yuan } from '../../../web/format.js'
import { blankForm, submitForm } from '../../../web/forms.js'
import { pagination } from '../../../web/pagination.js'
import {
  categoryName, DISABILITY_KIND_NAMES, FULFILMENT_STATE_NAMES, GOVERNMENT_KINDS, hardshipName, HELP_NAMES, helpName, LABOR_NAMES, LEAVING_NAMES, nameOf, options,
  PROPOSAL_STATUS_NAMES, RELATION_NAMES, ROOM_STAGE_NAMES, SCHOOL_NAMES, STATUS_NAMES, VOUCHER_STATE_NAMES, WISH_STATE_NAMES, wishCategoryName
} from '../../../web/work-names.js'
import { placeOptions, withQuery, workRegion } from './context.js'

const PER_PAGE = 20

const ListQuery = Type.Object({
  text: Type.Optional(Type.String({ maxLength: 50 })),
  town: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
  village: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  category: Type.Optional(Type.Enum([...CATEGORIES, 'none'])),
  status: Type.Optional(Type.Enum(HOUSEHOLD_STATUSES)),
  hardship: Type.Optional(Type.Enum(HARDSHIPS)),
  openHelp: Type.Optional(Type.Boolean()),
  changedSince: Type.Optional(CalendarDate),
  page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 })
}, { additionalProperties: false })

const AssistanceForm = formBody(NewAssistanceSchema.properties)
const ReversalForm = formBody(ReversalRequestSchema.properties)
const ASSISTANCE_LABELS = { kind: '救助类别', personId: '受助成员', value: '金额（元）', occurredOn: '发放日期', provider: '实施部门', reference: '文号或凭证号', tags: '标签' }
const REVERSAL_LABELS = { reason: '冲正原因', on: '冲正日期' }

/** The chain newest first, each entry named, its member, the category it was given under, and whether it was reversed or reverses another (a reversal with its reason, read with the chain). */
function timeline (chain: ReadonlyArray<AssistanceEntry & { standing: ChainStanding | null }>, members: Map<number, string>) {
  const reversedBy = new Map(chain.filter(e => e.reverses !== null).map(e => [e.reverses as number, e]))
  return [...chain].reverse().map(entry => ({
    ...entry,
    what: helpName(entry.kind),
    member: entry.personId === null ? null : members.get(entry.personId) ?? null,
    value: yuan(entry.value),
    givenUnder: entry.standing === null ? null : {
      household: categoryName(entry.standing.householdCategory),
      person: entry.standing.person === null || entry.standing.person.category === entry.standing.householdCategory ? null : categoryName(entry.standing.person.category)
    },
    reversedBy: reversedBy.get(entry.id)?.id ?? null,
    isReversal: entry.reverses !== null,
    canReverse: entry.reverses === null && !reversedBy.has(entry.id)
  }))
}

/** A member as the page shows them; current members carry what the latest decision found about them (issue 21's person-level outcome). */
const memberView = (m: MemberSummary & { decision?: PersonOutcome | null }, index: number, pii?: HouseholdPii['members'][number]) => ({
  ...m,
  outcome: m.decision ? { categoryName: categoryName(m.decision.category), reason: chineseOnly(m.decision.reason), citation: citation(m.decision.source) } : null,
  index: index + 1,
  relationName: nameOf(RELATION_NAMES, m.relation),
  laborName: nameOf(LABOR_NAMES, m.laborCapacity),
  schoolName: nameOf(SCHOOL_NAMES, m.schoolStage),
  disabilityName: m.disability ? `${nameOf(DISABILITY_KIND_NAMES, m.disability.kind)}${m.disability.level} 级` : '',
  name: pii?.name,
  idNumber: pii?.idNumber,
  illness: pii?.illness
})

export const householdPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/work/households', { config: { access: 'household.read' }, attachValidation: true, schema: { ...hide, querystring: ListQuery } }, async (request, reply) => {
    const query = request.validationError ? { page: 1 } as typeof request.query : request.query
    const region = await workRegion(request)
    const { total, items } = await listHouseholds(app.db, region.scope, app.config, {
      regionCode: query.village ?? query.town, category: query.category, status: query.status, hardship: query.hardship, text: query.text,
      openHelp: query.openHelp, changedSince: query.changedSince, limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE
    })
    const [heads, places] = await Promise.all([headNames(app.db, items.map(h => h.id)), regionNames(app.db, items.flatMap(h => [h.regionCode, h.regionCode.slice(0, 9)]))])
    const filters = { ...query, page: undefined }
    const searched = Object.entries(filters).some(([, value]) => value !== undefined)
    return reply.page('work/households', {
      title: '低收入家庭',
      breadcrumbs: [{ label: '工作台', href: '/work' }, { label: '低收入家庭' }],
      region,
      query,
      places: await placeOptions(request, region.scope, { town: query.town, village: query.village }),
      categories: options({ ...CATEGORY_NAMES }, query.category, [...CATEGORIES, 'none']),
      statuses: options(STATUS_NAMES, query.status),
      hardships: options(HARDSHIP_NAMES, query.hardship),
      idLookup: /^[0-9]{17}[0-9Xx]$/.test(query.text?.trim() ?? ''),
      total,
      searched,
      households: items.map(h => ({
        ...h,
        head: heads.get(h.id) ?? '—',
        village: places.get(h.regionCode) ?? h.regionCode,
        town: places.get(h.regionCode.slice(0, 9)) ?? '',
        categoryName: categoryName(h.category),
        statusName: nameOf(STATUS_NAMES, h.status),
        perCapita: yuan(Math.round(h.annualIncome / Math.max(1, h.memberCount))),
        updated: fullDate(h.updatedAt.slice(0, 10))
      })),
      canWrite: authorize(request.principal, 'household.write'),
      pages: pagination(query.page, Math.ceil(total / PER_PAGE), page => withQuery('/work/households', { ...filters, page }))
    })
  })

  /** Everything the household's page shows, the audited personal data when it was asked for. */
  const householdPage = async (request: FastifyRequest, id: number, pii?: HouseholdPii): Promise<Record<string, unknown>> => {
    // Birth dates, disability and illness are health details: every view is recorded, as for the API.
    await auditPiiRead(request, id, ['birth_date', 'health', 'disability'], 'household.read')
    const scope = regionScopeFor(request.principal, 'household.read')
    const asOf = today()
    const household = await getHousehold(app.db, scope, id, asOf)
    const readsChain = authorize(request.principal, 'assistance.read')
    const [decisions, chain, wishes, proposals, vouchers, rooms, places, deaths] = await Promise.all([
      decisionHistory(app.db, scope, id),
      readsChain ? assistanceChain(app.db, id) : Promise.resolve([]),
      listWishes(app.db, scope, { householdId: id, limit: 50, offset: 0 }),
      proposalsOfHousehold(app.db, id),
      listVouchers(app.db, scope, { halfYear: halfYearLabel(asOf), householdId: id, limit: 20, offset: 0 }, asOf),
      listStaffRooms(app.db, scope, { householdId: id, limit: 10, offset: 0 }, asOf),
      regionNames(app.db, [household.regionCode, household.regionCode.slice(0, 9)]),
      recordedDeaths(app.db, household.members.map(m => m.id))
    ])
    const piiOf = new Map((pii?.members ?? []).map(m => [m.id, m]))
    const names = new Map([...household.members, ...household.formerMembers].map(m => [m.id, piiOf.get(m.id)?.name ?? m.maskedName]))
    const latest = decisions[0]
    const head = household.members.find(m => m.relation === 'head') ?? household.members[0]
    const canWrite = authorize(request.principal, 'household.write')
    return {
      title: `家庭 ${household.externalKey ?? `#${household.id}`}`,
      breadcrumbs: [{ label: '工作台', href: '/work' }, { label: '低收入家庭', href: '/work/households' }, { label: household.externalKey ?? `#${household.id}` }],
      household: {
        ...household,
        head: head ? names.get(head.id) : '—',
        village: places.get(household.regionCode) ?? household.regionCode,
        town: places.get(household.regionCode.slice(0, 9)) ?? '',
        categoryName: categoryName(household.category),
        statusName: nameOf(STATUS_NAMES, household.status),
        annualIncomeText: yuan(household.annualIncome),
        perCapitaMonthly: yuan(Math.round(household.annualIncome / Math.max(1, household.memberCount) / 12 * 100) / 100),
        medical: yuan(household.rigidExpenses.medical),
        education: yuan(household.rigidExpenses.education),
        hardshipNames: household.hardships.map(hardshipName),
        members: household.members.map((m, i) => ({ ...memberView(m, i, piiOf.get(m.id)), died: deaths.get(m.id) })),
        formerMembers: household.formerMembers.map((m, i) => ({ ...memberView(m, i, piiOf.get(m.id)), leftReasonName: nameOf(LEAVING_NAMES, m.leftReason) })),
        address: pii?.address,
        phone: pii?.phone
      },
      piiShown: pii !== undefined,
      piiShownAt: pii !== undefined ? dateTime(new Date()) : undefined,
      canReadPii: authorize(request.principal, 'household.read_pii'),
      decision: latest ? explainDecision(latest) : null,
      decisionCount: decisions.length,
      decidedAt: latest ? dateTime(latest.decidedAt) : null,
      chain: timeline(chain, names),
      wishes: wishes.items.filter(w => OPEN_STATES.includes(w.state)).map(w => ({ ...w, stateName: nameOf(WISH_STATE_NAMES, w.state), categoryName: wishCategoryName(w.category), value: yuan(w.value) })),
      pastWishes: wishes.items.filter(w => !OPEN_STATES.includes(w.state)).length,
      proposals: proposals.map(p => ({ ...p, statusName: nameOf(PROPOSAL_STATUS_NAMES, p.status), fulfilmentName: p.fulfilment ? nameOf(FULFILMENT_STATE_NAMES, p.fulfilment) : '', cost: yuan(p.cost) })),
      vouchers: vouchers.items.map(v => ({ ...v, stateName: nameOf(VOUCHER_STATE_NAMES, v.state) })),
      rooms: rooms.items.map(r => ({ ...r, stageName: nameOf(ROOM_STAGE_NAMES, r.stage) })),
      canWrite,
      canAppend: authorize(request.principal, 'assistance.write'),
      canRaise: authorize(request.principal, 'need.write'),
      kinds: options(HELP_NAMES, undefined, GOVERNMENT_KINDS),
      assistanceForm: blankForm({ occurredOn: asOf, provider: '' }),
      reversalForm: blankForm({ on: asOf }),
      propertyCheck: household.propertyCheck ? { ...household.propertyCheck, validUntilText: fullDate(household.propertyCheck.validUntil), left: daysLeft(asOf, household.propertyCheck.validUntil) } : null
    }
  }

  app.get('/work/households/:id', { config: { access: 'household.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('work/household', await householdPage(request, request.params.id))
  })

  // "Show personal data": the same audited read as GET /api/v1/households/:id/pii, recorded before anything is decrypted.
  app.post('/work/households/:id/pii', { config: { access: 'household.read_pii' }, schema: { ...hide, params: IdParams, body: formBody({}) } }, async (request, reply) => {
    const id = request.params.id
    await auditPiiRead(request, id, ['name', 'id_number', 'address', 'phone', 'health'])
    const pii = await readHouseholdPii(app.db, regionScopeFor(request.principal, 'household.read_pii'), app.config, id)
    const data = await householdPage(request, id, pii)
    // Personal data is not kept by browsers or proxies.
    reply.header('cache-control', 'no-store')
    if (request.wantsFragment) return reply.fragment('work/household-members', data)
    return reply.page('work/household', data)
  })

  app.get('/work/households/:id/decisions', { config: { access: 'household.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const region = await workRegion(request)
    const household = await getHousehold(app.db, region.scope, request.params.id)
    const decisions = await readDecisions(request, household.id)
    const key = household.externalKey ?? `#${household.id}`
    return reply.page('work/decisions', {
      title: `认定记录：家庭 ${key}`,
      breadcrumbs: [{ label: '低收入家庭', href: '/work/households' }, { label: key, href: `/work/households/${household.id}` }, { label: '认定记录' }],
      household,
      decisions: decisions.map(d => ({ ...explainDecision(d), decidedAt: dateTime(d.decidedAt), id: d.id }))
    })
  })

  // 救助链 on paper (A4): the household's help, newest first, reversals shown; no personal data beyond the masked names.
  app.get('/work/households/:id/print', { config: { access: 'assistance.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id
    const household = await getHousehold(app.db, regionScopeFor(request.principal, 'household.read'), id)
    const [chain, places] = await Promise.all([assistanceChain(app.db, id), regionNames(app.db, [household.regionCode, household.regionCode.slice(0, 9)])])
    const names = new Map([...household.members, ...household.formerMembers].map(m => [m.id, m.maskedName]))
    const key = household.externalKey ?? `#${household.id}`
    return reply.page('work/chain-print', {
      title: `救助链：家庭 ${key}`,
      breadcrumbs: [{ label: '低收入家庭', href: '/work/households' }, { label: key, href: `/work/households/${id}` }, { label: '打印救助链' }],
      household: { id, key, town: places.get(household.regionCode.slice(0, 9)) ?? '', village: places.get(household.regionCode) ?? '', categoryName: categoryName(household.category), memberCount: household.memberCount },
      chain: timeline(chain, names).map(entry => ({ ...entry, canReverse: false })),
      printedOn: fullDate(today())
    })
  })

  app.post('/work/households/:id/assistance', { config: { access: 'assistance.write' }, attachValidation: true, schema: { ...hide, params: IdParams, body: AssistanceForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/household', data: () => householdPage(request, id), labels: ASSISTANCE_LABELS, as: 'assistanceForm' }, async () => {
      const { _csrf: _token, ...entry } = request.body
      const appended = await appendGovernmentHelp(request, id, entry)
      setFlash(request, reply, 'success', `已将“${helpName(appended.kind)}” ${yuan(appended.value)} 记入救助链。`)
      return reply.redirect(`/work/households/${id}#chain`, 303)
    })
  })

  app.post('/work/assistance/:id/reversal', { config: { access: 'assistance.write' }, attachValidation: true, schema: { ...hide, params: IdParams, body: ReversalForm } }, async (request, reply) => {
    const householdId = await entryHousehold(app.db, request.params.id)
    return submitForm(request, reply, {
      view: 'work/household',
      // An entry that does not exist, or lies outside the region, is refused by the domain (404) before any form is shown.
      data: () => householdPage(request, householdId ?? 0),
      labels: REVERSAL_LABELS,
      as: 'reversalForm'
    }, async () => {
      const reversal = await reverseEntry(request, request.params.id, request.body.reason, request.body.on ?? today())
      setFlash(request, reply, 'success', `已冲正第 ${request.params.id} 条记录（${helpName(reversal.kind)}），原记录保留。`)
      return reply.redirect(`/work/households/${reversal.householdId}#chain`, 303)
    })
  })
}
