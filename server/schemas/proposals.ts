// Schemas of what the matching API answers: proposal runs, proposals with their explanations,
// decisions on them, fund applications and fulfilment. They are what Fastify serialises. The
// explanation, the duplicate check and a run's summary are JSON stored with the row when it
// was written: their known keys are listed, optional (an older row may lack a newer key), and
// their open parts say what they hold.
import { Type, type Static } from 'typebox'
import { EvidenceSchema } from './evidence.js'

const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableInteger = Type.Union([Type.Integer(), Type.Null()])
const open = (description: string) => Type.Unknown({ description })
const Counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description })

export const RunProgressSchema = Type.Object({
  percent: Type.Integer({ minimum: 0, maximum: 100 }),
  population: NullableInteger,
  eligible: NullableInteger,
  proposed: Type.Integer()
}, { description: '进度与已知计数（null：尚未统计）' })

export const RunSummarySchema = Type.Object({
  population: Type.Optional(Type.Integer()),
  eligible: Type.Optional(Type.Integer()),
  excluded: Type.Optional(Counts('按首个不符合的条件统计的排除人数')),
  candidates: Type.Optional(Type.Integer({ description: '参与预算选择的候选人数' })),
  proposed: Type.Optional(Type.Integer()),
  totalCost: Type.Optional(Type.Number()),
  upperBound: Type.Optional(Type.Number()),
  exact: Type.Optional(Type.Boolean({ description: '在候选人中是否为最优选择' })),
  leftOut: Type.Optional(Type.Object({
    count: Type.Integer({ description: '因预算或名额不足未能推荐的候选人数' }),
    items: Type.Array(Type.Object({ personId: Type.Integer(), householdId: Type.Integer(), rank: Type.Integer(), score: Type.Number() }), { description: '其中排名最前的（至多 50 人）' })
  }))
}, { additionalProperties: true, description: '推荐任务完成时的汇总' })

/** A run as its project's history lists it (no live progress: see RunViewSchema). */
export const RunListItemSchema = Type.Object({
  id: Type.Integer(),
  projectId: Type.Integer(),
  status: Type.String({ description: 'queued, running, completed, failed' }),
  asOf: Type.String(),
  summary: Type.Union([RunSummarySchema, Type.Null()]),
  createdAt: Type.String(),
  finishedAt: NullableString,
  startedBy: NullableString
})

/** A person a run left out for lack of budget or places, as its page shows them. */
export const LeftOutSchema = Type.Object({
  rank: Type.Integer(),
  personId: Type.Integer(),
  householdId: Type.Integer(),
  maskedName: Type.String(),
  regionCode: Type.String(),
  score: Type.Number()
})

export const RunViewSchema = Type.Object({
  id: Type.Integer(),
  projectId: Type.Integer(),
  status: Type.String({ description: 'queued, running, completed, failed' }),
  asOf: Type.String(),
  progress: Type.Union([RunProgressSchema, Type.Null()]),
  summary: Type.Union([RunSummarySchema, Type.Null()]),
  createdAt: Type.String(),
  finishedAt: NullableString
})

const ChainEntrySchema = Type.Object({
  id: Type.Optional(Type.Integer()),
  source: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  value: Type.Optional(Type.Number()),
  occurredOn: Type.Optional(Type.String()),
  reverses: Type.Optional(NullableInteger),
  pending: Type.Optional(Type.String({ description: '已承诺尚未签收的帮扶，如 proposal:42' }))
}, { additionalProperties: true, description: '救助链中的一条帮扶（或已承诺的帮扶）' })

export const DuplicateVerdictSchema = Type.Object({
  verdict: Type.Enum(['duplicate', 'complementary', 'clear']),
  rule: Type.Optional(Type.String()),
  window: Type.Optional(Type.String()),
  conflicting: Type.Optional(ChainEntrySchema),
  complementary: Type.Optional(Type.Array(ChainEntrySchema))
}, { description: '查重结论：重复（在禁止窗口内）、互补或无' })

export const ExplanationSchema = Type.Object({
  score: Type.Optional(Type.Number()),
  factors: Type.Optional(Type.Array(Type.Object({
    factor: Type.Optional(Type.String()),
    value: Type.Optional(Type.Union([Type.Number(), Type.String()], { description: '原始值：代码、元、天数或说明' })),
    normalised: Type.Optional(Type.Number()),
    weight: Type.Optional(Type.Number()),
    contribution: Type.Optional(Type.Number())
  }, { additionalProperties: true }))),
  weights: Type.Optional(Type.Record(Type.String(), Type.Number(), { description: '各评分因素的权重' })),
  rules: Type.Optional(Type.Record(Type.String(), open('项目条件（类别、地区、年龄等），与项目的 eligibility 相同'))),
  windows: Type.Optional(Type.Array(Type.Record(Type.String(), open('查重窗口的规则、标签与期限')))),
  ruleOrder: Type.Optional(Type.Array(Type.String())),
  excludedByRule: Type.Optional(Counts('本次运行中各条件排除的人数')),
  parameters: Type.Optional(Type.Record(Type.String(), open('运行参数：日期、就近地区、紧迫程度、捐赠人偏好、符合条件人数'))),
  budget: Type.Optional(Type.Record(Type.String(), open('预算选择：剩余预算、候选人数、总成本、上界、是否最优'))),
  application: Type.Optional(Type.Object({ statement: Type.Optional(Type.String()), amount: Type.Optional(Type.Number()) }, { additionalProperties: true }))
}, { additionalProperties: true, description: '评分依据：各因素的值、权重与贡献，适用的条件与查重窗口' })

export const ProposalSchema = Type.Object({
  id: Type.Integer(),
  source: Type.Enum(['run', 'application']),
  householdId: Type.Integer(),
  personId: Type.Integer(),
  maskedName: Type.String(),
  regionCode: Type.String(),
  rank: Type.Integer({ description: '0：申请（不排名）' }),
  score: Type.Number(),
  cost: Type.Number(),
  tags: Type.Array(Type.String()),
  status: Type.String({ description: 'open, confirmed, rejected, superseded, cancelled' }),
  statement: NullableString,
  explanation: ExplanationSchema,
  duplicateCheck: Type.Union([DuplicateVerdictSchema, Type.Null()]),
  reason: NullableString,
  overrideReason: NullableString
})

export const ConfirmationSchema = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('confirmed'),
  regionCode: Type.String(),
  duplicateCheck: DuplicateVerdictSchema,
  overrideReason: NullableString
})

export const RejectionSchema = Type.Object({ id: Type.Integer(), status: Type.Literal('rejected'), regionCode: Type.String(), reason: Type.String() })

const ErrorInBatch = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Array(Type.Record(Type.String(), open('出错字段与原因（与错误响应的 details 相同）')))
})

export const RefusalSchema = Type.Object({ id: Type.Integer(), status: Type.Literal('refused'), error: ErrorInBatch }, { description: '该项未办理及原因' })
export type Refusal = Static<typeof RefusalSchema>

export const batchResults = <T extends typeof ConfirmationSchema | typeof RejectionSchema>(decided: T) =>
  Type.Object({ results: Type.Array(Type.Union([decided, RefusalSchema])), decided: Type.Integer(), refused: Type.Integer() })

export const RunsStartedSchema = Type.Object({
  runs: Type.Array(Type.Object({ projectId: Type.Integer(), runId: Type.Integer() })),
  refused: Type.Array(Type.Object({ projectId: Type.Integer(), error: Type.Object({ code: Type.String(), message: Type.String() }) }))
})

export const SubmittedApplicationSchema = Type.Object({
  id: Type.Integer(),
  projectId: Type.Integer(),
  householdId: Type.Integer(),
  personId: Type.Integer(),
  cost: Type.Number(),
  score: Type.Number(),
  status: Type.Literal('open')
})
export type SubmittedApplication = Static<typeof SubmittedApplicationSchema>

export const FulfilmentSchema = Type.Object({
  proposalId: Type.Integer(),
  projectId: Type.Integer(),
  kind: Type.String(),
  state: Type.Enum(['in_progress', 'delivered', 'received', 'cancelled']),
  dueOn: Type.String(),
  overdue: Type.Boolean(),
  overdueSince: NullableString,
  deliveredOn: NullableString,
  receivedOn: NullableString,
  note: NullableString,
  cancelReason: NullableString,
  organisationId: Type.Integer(),
  regionCode: Type.String()
})
export type Fulfilment = Static<typeof FulfilmentSchema>

export const FulfilmentDetailSchema = Type.Object({ ...FulfilmentSchema.properties, evidence: Type.Array(EvidenceSchema) })

export const ReceiptSchema = Type.Object({
  ...FulfilmentDetailSchema.properties,
  chainEntryId: Type.Integer({ description: '救助链中的记录' }),
  appended: Type.Boolean({ description: 'false：此前已写入（重复签收不再写入）' })
})

// Requests: a fund application, and decisions one by one or in batches (the API's bodies and the workbench's forms).
const OverrideReason = Type.String({ minLength: 4, maxLength: 500, description: '越过重复帮扶提示确认的理由（记入审计）' })
const RejectReason = Type.String({ minLength: 2, maxLength: 500 })
const BATCH_LIMIT = 200

export const ApplicationSchema = Type.Object({
  householdId: Type.Integer({ minimum: 1 }),
  personId: Type.Optional(Type.Integer({ minimum: 1 })),
  statement: Type.String({ minLength: 4, maxLength: 2000 }),
  amount: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000 }))
}, { additionalProperties: false })
export type ApplicationInput = Static<typeof ApplicationSchema>

export const ConfirmSchema = Type.Object({ overrideReason: Type.Optional(OverrideReason) }, { additionalProperties: false })
export const RejectSchema = Type.Object({ reason: RejectReason }, { additionalProperties: false })
export const BatchConfirmSchema = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer({ minimum: 1 }), overrideReason: Type.Optional(OverrideReason) }, { additionalProperties: false }), { minItems: 1, maxItems: BATCH_LIMIT })
}, { additionalProperties: false })
export const BatchRejectSchema = Type.Object({ ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: BATCH_LIMIT }), reason: RejectReason }, { additionalProperties: false })
