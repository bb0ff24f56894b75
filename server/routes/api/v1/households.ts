// The low-income household registry: region-scoped lists with masked names, audited reads
// of full personal data, registration with classification and the decision history. The
// assistance chain is assistance.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { CATEGORIES, HARDSHIPS, HOUSEHOLD_STATUSES } from '../../../../matching/domain.js'
import { regionScopeFor } from '../../../auth/policy.js'
import { auditPiiRead } from '../../../audit/pii-read.js'
import { errorResponseSchema } from '../../../http/errors.js'
import {
  CalendarDate, DecisionRecordSchema, DecisionSchema, HouseholdChanges, HouseholdDetailSchema, HouseholdPiiSchema, HouseholdSummarySchema, ReclassificationPreviewSchema,
  RegistryHousehold
} from '../../../schemas/household.js'
import { clashAudit, clashConflict, createHousehold, getHousehold, listHouseholds, readHouseholdPii, updateHousehold, type Clashes } from '../../../registry/households.js'
import { decisionHistory, previewReclassification, reclassifyHousehold } from '../../../registry/decisions.js'
import type { Db } from '../../../db/database.js'
import { inScope, type RegionScope } from '../../../db/scope.js'
import { registryContext } from '../../../registry/context.js'
import { today } from '../../../clock.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['registry']

/** Nothing was written; the 一人一次 lookups that hit another region are audited (and committed) for its auditors. */
async function auditClashes (request: FastifyRequest, scope: RegionScope, clashes: Clashes, details: Record<string, unknown>, trx: Db): Promise<void> {
  for (const { owner } of clashes.filter(({ owner }) => !inScope(scope, owner.regionCode))) await request.audit(clashAudit(owner, details), trx)
}

export const householdRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/households', {
    config: { access: 'household.read' },
    schema: {
      tags,
      summary: '低收入家庭列表（姓名脱敏）/ list households (masked names)',
      querystring: Type.Object({
        regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,12}$' })),
        category: Type.Optional(Type.Enum([...CATEGORIES, 'none'])),
        status: Type.Optional(Type.Enum(HOUSEHOLD_STATUSES)),
        hardship: Type.Optional(Type.Enum(HARDSHIPS)),
        text: Type.Optional(Type.String({ maxLength: 50, description: '身份证号（精确）、户编号或姓氏' })),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(HouseholdSummarySchema) }), ...errors }
    }
  }, async request => {
    const scope = regionScopeFor(request.principal, 'household.read')
    return listHouseholds(app.db, scope, app.config, request.query)
  })

  app.post('/api/v1/households', {
    config: { access: 'household.write' },
    schema: { tags, summary: '登记家庭并认定类别 / register a household and classify it', body: RegistryHousehold, response: { 201: HouseholdDetailSchema, ...errors } }
  }, async (request, reply) => {
    const scope = regionScopeFor(request.principal, 'household.write')
    const context = await registryContext(app.db, app.config, today())
    const created = await app.db.transaction().execute(async trx => {
      const result = await createHousehold(trx, scope, request.body, context)
      if ('clashes' in result) {
        await auditClashes(request, scope, result.clashes, { attempted: 'household.create', regionCode: request.body.regionCode }, trx)
        return result
      }
      const { household } = result
      await request.audit({ action: 'household.create', record: { type: 'household', id: household.id, regionCode: household.regionCode }, after: household }, trx)
      return result
    })
    if ('clashes' in created) throw clashConflict(scope, created.clashes)
    const { household } = created
    return reply.status(201).send(household)
  })

  app.get('/api/v1/households/:id', {
    config: { access: 'household.read' },
    schema: { tags, summary: '家庭详情（姓名脱敏；含出生日期与残疾、重病情况，每次读取均留痕）/ household with masked members; health details, audited', params: IdParams, response: { 200: HouseholdDetailSchema, ...errors } }
  }, async request => {
    // Names stay masked, but birth dates, disability and serious illness are health details.
    await auditPiiRead(request, request.params.id, ['birth_date', 'health', 'disability'], 'household.read')
    return getHousehold(app.db, regionScopeFor(request.principal, 'household.read'), request.params.id)
  })

  app.get('/api/v1/households/:id/pii', {
    config: { access: 'household.read_pii' },
    schema: { tags, summary: '完整个人信息（每次读取均留痕）/ full personal data, audited', params: IdParams, response: { 200: HouseholdPiiSchema, ...errors } }
  }, async request => {
    await auditPiiRead(request, request.params.id, ['name', 'id_number', 'address', 'phone', 'health'])
    return readHouseholdPii(app.db, regionScopeFor(request.principal, 'household.read_pii'), app.config, request.params.id)
  })

  app.patch('/api/v1/households/:id', {
    config: { access: 'household.write' },
    schema: { tags, summary: '修改家庭情况并重新认定 / change facts and reclassify', params: IdParams, body: HouseholdChanges, response: { 200: HouseholdDetailSchema, ...errors } }
  }, async request => {
    const scope = regionScopeFor(request.principal, 'household.write')
    const context = await registryContext(app.db, app.config, today())
    const updated = await app.db.transaction().execute(async trx => {
      const before = await getHousehold(trx, scope, request.params.id)
      const result = await updateHousehold(trx, scope, request.params.id, request.body, context)
      if ('clashes' in result) {
        await auditClashes(request, scope, result.clashes, { attempted: 'household.update', householdId: request.params.id }, trx)
        return result
      }
      const after = result.household
      await request.audit({ action: 'household.update', record: { type: 'household', id: after.id, regionCode: after.regionCode }, before, after }, trx)
      return result
    })
    if ('clashes' in updated) throw clashConflict(scope, updated.clashes, 'addMembers')
    return updated.household
  })

  app.post('/api/v1/households/:id/reclassify', {
    config: { access: 'household.write' },
    schema: {
      tags, summary: '按现行参数重新认定（dryRun：只比较、不保存）/ reclassify with the parameters in force (dryRun: compare, store nothing)', params: IdParams,
      body: Type.Object({
        asOf: Type.Optional(CalendarDate),
        dryRun: Type.Optional(Type.Boolean({ description: '只算出将作出的决定并与现行决定比较（家庭、每名成员），不保存' }))
      }, { additionalProperties: false }),
      response: { 200: Type.Union([DecisionSchema, ReclassificationPreviewSchema], { description: '作出的决定；dryRun 时为试算及比较' }), ...errors }
    }
  }, async request => {
    const scope = regionScopeFor(request.principal, 'household.write')
    const asOf = request.body.asOf ?? today()
    const context = await registryContext(app.db, app.config, asOf)
    if (request.body.dryRun === true) {
      // Nothing changes, but each member's outcome and reason are health details, as in the household view.
      await auditPiiRead(request, request.params.id, ['birth_date', 'health', 'disability'], 'household.read')
      return previewReclassification(app.db, scope, request.params.id, context)
    }
    return app.db.transaction().execute(async trx => {
      const before = await getHousehold(trx, scope, request.params.id, asOf)
      const decision = await reclassifyHousehold(trx, scope, request.params.id, context)
      await request.audit({
        action: 'household.reclassify', record: { type: 'household', id: before.id, regionCode: before.regionCode },
        before: { category: before.category, status: before.status }, after: { category: decision.category, profileVersion: decision.profileVersion }
      }, trx)
      return decision
    })
  })

  app.get('/api/v1/households/:id/decisions', {
    config: { access: 'household.read' },
    schema: { tags, summary: '类别认定历史（含依据）/ classification history with traces', params: IdParams, response: { 200: Type.Array(DecisionRecordSchema), ...errors } }
  }, async request => decisionHistory(app.db, regionScopeFor(request.principal, 'household.read'), request.params.id))
}
