// What the policy API answers: each profile with the parameters in force on a day (and where
// each value comes from), and a parameter version once added. These are what Fastify
// serialises, and the types of registry/parameters.ts.
import { Type, type Static } from 'typebox'
import { PARAMETER_KEYS, type ParameterKey } from '../../matching/policy/index.js'
import { CalendarDate } from './household.js'

const ParameterVersionSchema = Type.Object({
  key: Type.String(),
  value: Type.Number(),
  effectiveFrom: Type.String(),
  source: Type.String({ description: '文件段落，或录入人' }),
  demo: Type.Optional(Type.Boolean()),
  placeholderDate: Type.Optional(Type.Boolean())
})

export const ProfileInForceSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  document: Type.String({ description: 'policy/ 下的文件' }),
  categories: Type.Array(Type.String(), { description: '文件规定的类别（就高顺序）' }),
  profileVersion: Type.String({ description: '所用参数版本的标识，记入每次认定' }),
  parameters: Type.Array(Type.Object({
    key: Type.String(),
    unit: Type.String(),
    description: Type.String(),
    min: Type.Number(),
    above: Type.Optional(Type.Boolean({ description: 'true：不含最小值本身' })),
    max: Type.Number(),
    maxSource: Type.Optional(Type.String({ description: '文件本身的上限所在段落' })),
    integer: Type.Optional(Type.Boolean()),
    value: Type.Optional(Type.Number()),
    effectiveFrom: Type.Optional(Type.String()),
    source: Type.Optional(Type.String()),
    demo: Type.Boolean({ description: '文件未给出数值，此为示例值' }),
    placeholderDate: Type.Boolean({ description: '文件未注明日期，生效日期为占位' })
  })),
  staffVersions: Type.Array(ParameterVersionSchema, { description: '工作人员录入的全部版本' })
})
export type ProfileInForce = Static<typeof ProfileInForceSchema>

export const ParameterCreatedSchema = Type.Object({
  id: Type.Integer(),
  profile: Type.String(),
  key: Type.String(),
  value: Type.Number(),
  effectiveFrom: Type.String(),
  note: Type.String()
})
export type ParameterCreated = Static<typeof ParameterCreatedSchema>

const InForce = Type.Union([Type.Object({ value: Type.Number(), effectiveFrom: Type.String(), source: Type.String() }), Type.Null()])

export const ProfileHistorySchema = Type.Array(Type.Object({
  effectiveFrom: Type.String({ description: '生效日期：这一天起的参数即一个版本' }),
  versions: Type.Array(Type.Object({
    key: Type.String(), value: Type.Number(), source: Type.String(),
    staff: Type.Boolean({ description: 'true：工作人员录入；false：文件规定' }),
    demo: Type.Boolean(), placeholderDate: Type.Boolean()
  }))
}), { description: '按生效日期排列的参数版本（新的在前）' })

export const ParameterDiffSchema = Type.Object({
  profile: Type.String(),
  from: Type.String(),
  to: Type.String(),
  fromVersion: Type.String({ description: 'from 当天施行的参数版本标识' }),
  toVersion: Type.String(),
  changes: Type.Array(Type.Object({
    key: Type.String(), unit: Type.String(), description: Type.String(),
    before: InForce, after: InForce,
    changed: Type.Boolean()
  }))
}, { description: '两个日期施行的参数之比较' })

/** A parameter version as an administrator adds it (API and page form alike). */
export const ParameterVersionBody = Type.Object({
  key: Type.Enum(Object.keys(PARAMETER_KEYS) as ParameterKey[]),
  value: Type.Number({ description: '取值范围因参数和政策而异，见 GET /api/v1/policy/profiles' }),
  effectiveFrom: CalendarDate,
  note: Type.String({ minLength: 2, maxLength: 200, description: '依据，如文件文号' })
}, { additionalProperties: false })
