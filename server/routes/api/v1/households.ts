// The low-income household registry: region-scoped lists with masked names, audited reads
// of full personal data, registration with classification and the decision history. The
// assistance chain is assistance.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CATEGORIES, HARDSHIPS, HOUSEHOLD_STATUSES } from '../../../../matching/domain.js'
import { regionScopeFor } from '../../../auth/policy.js'
import { auditPiiRead } from '../../../audit/pii-read.js'
import { errorResponseSchema } from '../../../http/errors.js'
import {
  CalendarDate, DecisionRecordSchema, DecisionSchema, HouseholdChanges, HouseholdDetailSchema, HouseholdPiiSchema, HouseholdSummarySchema, ReclassificationPreviewSchema,
  RegistryHousehold
} from '../../../schemas/household.js'
import { getHousehold, listHouseholds, readHouseholdPii } from '../../../registry/households.js'
import { changeHousehold, previewReclassify, readDecisions, reclassify, registerHousehold } from '../../../registry/staff-steps.js'
import { today } from '../../../clock.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['registry']

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
        openHelp: Type.Optional(Type.Boolean({ description: 'true：有正在进行的帮扶（心愿、推荐、梦想小屋、培训券）' })),
        changedSince: Type.Optional(Type.String({ format: 'date', description: '只看此日（含）以后有变动的家庭' })),
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
  }, async (request, reply) => reply.status(201).send(await registerHousehold(request, request.body)))

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
  }, async request => changeHousehold(request, request.params.id, request.body))

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
    const asOf = request.body.asOf ?? today()
    return request.body.dryRun === true ? previewReclassify(request, request.params.id, asOf) : reclassify(request, request.params.id, asOf)
  })

  app.get('/api/v1/households/:id/decisions', {
    config: { access: 'household.read' },
    schema: { tags, summary: '类别认定历史（含依据）/ classification history with traces', params: IdParams, response: { 200: Type.Array(DecisionRecordSchema), ...errors } }
  }, async request => readDecisions(request, request.params.id))
}
